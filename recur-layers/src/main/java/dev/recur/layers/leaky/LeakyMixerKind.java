package dev.recur.layers.leaky;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** The leaky RNN's spec kind; the adapter {@link LeakyBlockMixer} documents it. */
public enum LeakyMixerKind implements MixerKind {
    /** A leaky tanh RNN with a learned time constant per neuron: {@code tau} (the initial time constant). */
    LEAKY("leaky", "tau");

    private final String id;
    private final List<String> options;

    LeakyMixerKind(String id, String... options) {
        this.id = id;
        this.options = List.of(options);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public List<String> options() {
        return options;
    }

    @Override
    public Mixer create(MixerShape shape, Params params) {
        return new LeakyBlockMixer(shape, params);
    }
}
