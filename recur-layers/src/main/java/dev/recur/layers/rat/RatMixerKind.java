package dev.recur.layers.rat;

import dev.recur.layers.block.MixerKind;

/** RAT's spec kind; the adapter {@link RatBlockMixer} documents its options. */
public final class RatMixerKind {
    /** RAT (recurrence inside chunks, attention across them): {@code heads}, {@code chunk}. */
    public static final MixerKind RAT = MixerKind.recurrent("rat", RatBlockMixer::new, "heads", "chunk");

    private RatMixerKind() {}
}
