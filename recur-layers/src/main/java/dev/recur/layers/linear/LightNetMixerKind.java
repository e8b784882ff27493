package dev.recur.layers.linear;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/** LightNet's spec kind; the adapter {@link LightNetMixer} documents it. */
public enum LightNetMixerKind implements MixerKind {
    /** LightNet (additive recurrence with a softmax-normalised key): {@code heads}, {@code conv} (0: none). */
    LIGHTNET("lightnet", "heads", "conv");

    private final String id;
    private final List<String> options;

    LightNetMixerKind(String id, String... options) {
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
        return new LightNetMixer(shape, params);
    }
}
