package dev.recur.layers.rhn;

import dev.recur.layers.block.MixerKind;

/** The recurrent highway network's spec kind; the adapter {@link RhnBlockMixer} documents it. */
public final class RhnMixerKind {
    /** A recurrent highway network: {@code depth} (highway micro-steps per token). */
    public static final MixerKind RHN = MixerKind.recurrent("rhn", RhnBlockMixer::new, "depth");

    private RhnMixerKind() {}
}
