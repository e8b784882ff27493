package dev.recur.layers.stack;

/** Builds the mixer adapter a block spec names. */
public final class Mixers {
    private Mixers() {}

    /**
     * The mixer of {@code spec} over a residual stream of {@code dModel}, its parameters from {@code params}
     * (local names, e.g. {@code wq}), the output projection's initial weights scaled by {@code outScale}.
     */
    public static Mixer create(BlockSpec spec, int dModel, float outScale, Params params) {
        MixerShape shape = new MixerShape(spec, dModel, outScale);
        return switch (spec.kind()) {
            case ATTN -> new AttentionMixer(shape, params);
            case MAMBA -> new MambaBlockMixer(shape, params);
            case MAMBA2 -> new Mamba2BlockMixer(shape, params);
            case GDN, DELTANET, GLA, HGRN2, LINEAR -> new LinearAttentionMixer(shape, params);
            case RAT -> new RatBlockMixer(shape, params);
            case LSTM, GRU -> new RnnBlockMixer(shape, params);
        };
    }
}
