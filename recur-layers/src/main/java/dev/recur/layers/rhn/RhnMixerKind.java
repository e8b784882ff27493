package dev.recur.layers.rhn;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** The recurrent highway network's spec kind; the adapter {@link RhnBlockMixer} documents it. */
public enum RhnMixerKind implements MixerKind {
    /** A recurrent highway network: {@code depth} (highway micro-steps per token). */
    RHN("rhn", "depth");

    private final String id;
    private final List<String> options;

    RhnMixerKind(String id, String... options) {
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
        return new RhnBlockMixer(shape, params);
    }
}
