package dev.recur.layers.griffin;

import dev.recur.layers.block.MixerKind;

/**
 * Griffin's spec kind; the block {@link GriffinMixer} documents its options. Griffin's local attention is the
 * attention family's {@code attn(window=..)}.
 */
public final class GriffinMixerKind {
    /** Griffin's recurrent block (RG-LRU, its convolution, GELU gate): {@code heads}, {@code expand}, {@code conv}. */
    public static final MixerKind GRIFFIN = MixerKind.recurrent("griffin", GriffinMixer::spec, "heads", "expand",
            "conv");

    private GriffinMixerKind() {}
}
