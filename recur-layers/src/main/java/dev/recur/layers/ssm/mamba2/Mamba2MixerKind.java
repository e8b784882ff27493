package dev.recur.layers.ssm.mamba2;

import dev.recur.layers.block.MixerKind;

/** Mamba-2's spec kind; the adapter {@link Mamba2BlockMixer} documents its options. */
public final class Mamba2MixerKind {
    /** Mamba-2's SSD: {@code state} (N), {@code heads}, {@code expand}, {@code conv}, {@code chunk}. */
    public static final MixerKind MAMBA2 = MixerKind.recurrent("mamba2", Mamba2BlockMixer::new, "state", "heads",
            "expand", "conv", "chunk");

    private Mamba2MixerKind() {}
}
