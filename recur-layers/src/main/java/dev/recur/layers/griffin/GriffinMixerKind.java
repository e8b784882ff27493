package dev.recur.layers.griffin;

import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.Params;
import java.util.List;

/**
 * Griffin's spec kind; the block {@link GriffinMixer} documents its options. Griffin's local attention is the
 * attention family's {@code attn(window=..)}.
 */
public enum GriffinMixerKind implements MixerKind {
    /** Griffin's recurrent block (RG-LRU with its convolution and GELU gate): {@code heads}, {@code expand}, {@code
    * conv}. */
    GRIFFIN("griffin", "heads", "expand", "conv");

    private final String id;
    private final List<String> options;

    GriffinMixerKind(String id, String... options) {
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
        return GriffinMixer.spec(shape, params);
    }
}
