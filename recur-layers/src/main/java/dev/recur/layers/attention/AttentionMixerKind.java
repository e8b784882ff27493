package dev.recur.layers.attention;

import dev.recur.layers.block.MixerKind;

/** The attention family's spec kind; the adapter {@link AttentionMixer} documents its options. */
public final class AttentionMixerKind {
    /** Causal softmax attention with rotary positions: {@code heads}, {@code window} (0: unbounded); its key/value
     * cache grows with the tokens unless windowed. */
    public static final MixerKind ATTN = MixerKind.growing("attn", AttentionMixer::new, "heads", "window");

    private AttentionMixerKind() {}
}
