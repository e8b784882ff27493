package dev.recur.layers.ssm.s4d;

import dev.recur.layers.block.MixerKind;

/** S4D's spec kind; the adapter {@link S4dBlockMixer} documents it. */
public final class S4dMixerKind {
    /** S4D with the HiPPO-LegS diagonal initialisation: {@code state} (real state size N per channel, even). */
    public static final MixerKind S4D = MixerKind.recurrent("s4d", S4dBlockMixer::new, "state");

    private S4dMixerKind() {}
}
