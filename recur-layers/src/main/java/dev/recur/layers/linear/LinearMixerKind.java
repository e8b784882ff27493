package dev.recur.layers.linear;

import dev.recur.layers.block.MixerKind;

/**
 * The matrix-state (linear attention) spec kinds; {@link GatedDeltaNet} documents {@code gdn}, the adapter
 * {@link LinearAttentionMixer} the others.
 */
public final class LinearMixerKind {
    /** Gated DeltaNet: {@code heads}, {@code conv} (0: no short convolution). */
    public static final MixerKind GDN = MixerKind.recurrent("gdn", GatedDeltaNet::spec, "heads", "conv");

    /** DeltaNet (the delta rule without decay): {@code heads}, {@code conv}. */
    public static final MixerKind DELTANET = variant("deltanet", LinearVariant.DELTANET);

    /** Gated linear attention: {@code heads}, {@code conv}. */
    public static final MixerKind GLA = variant("gla", LinearVariant.GLA);

    /** HGRN-2: {@code heads}, {@code conv}. */
    public static final MixerKind HGRN2 = variant("hgrn2", LinearVariant.HGRN2);

    /** Plain causal linear attention with the {@code elu + 1} feature map: {@code heads}, {@code conv}. */
    public static final MixerKind LINEAR = variant("linear", LinearVariant.LINEAR);

    private static MixerKind variant(String id, LinearVariant variant) {
        return MixerKind.recurrent(id, (shape, p) -> new LinearAttentionMixer(shape, p, variant), "heads", "conv");
    }

    private LinearMixerKind() {}
}
