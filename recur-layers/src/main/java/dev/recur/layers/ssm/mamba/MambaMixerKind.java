package dev.recur.layers.ssm.mamba;

import dev.recur.layers.block.MixerKind;

/** Mamba's spec kind; the adapter {@link MambaBlockMixer} documents its options. */
public final class MambaMixerKind {
    /** Mamba's selective SSM: {@code state} (N), {@code expand}, {@code conv} (kernel width). */
    public static final MixerKind MAMBA = MixerKind.recurrent("mamba", MambaBlockMixer::new, "state", "expand", "conv");

    private MambaMixerKind() {}
}
