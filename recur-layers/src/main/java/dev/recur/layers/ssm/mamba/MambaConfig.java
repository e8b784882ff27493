package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.HfConfig;

/**
 * The sizes and switches of a Mamba causal LM, as transformers' {@code MambaConfig} and
 * {@code FalconMambaConfig} name them. Validated when built: every size positive, the activation SiLU.
 *
 * @param modelType         {@code mamba} or {@code falcon_mamba}
 * @param vocabSize         V, rows of the embedding
 * @param hiddenSize        the residual stream width
 * @param intermediateSize  the mixer's inner width (transformers: {@code expand * hidden_size})
 * @param stateSize         N, the SSM state size per channel
 * @param convKernel        K, the causal convolution's width
 * @param timeStepRank      R, the rank of the step-size projection ({@code "auto"}: ceil(hidden / 16))
 * @param numLayers         residual blocks
 * @param normEps           epsilon of the blocks' and the final RMSNorm
 * @param useBias           whether in_proj and out_proj have biases
 * @param useConvBias       whether the convolution has a bias
 * @param tieWordEmbeddings whether the output head is the embedding matrix
 * @param normalizeBcDt     FalconMamba: RMS-normalise (no weight) dt, B and C inside the mixer
 * @param mixerRmsEps       epsilon of that normalisation
 */
public record MambaConfig(String modelType, int vocabSize, int hiddenSize, int intermediateSize, int stateSize,
                          int convKernel, int timeStepRank, int numLayers, float normEps, boolean useBias,
                          boolean useConvBias, boolean tieWordEmbeddings, boolean normalizeBcDt,
                          float mixerRmsEps) {
    public MambaConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("state_size", stateSize);
        positive("conv_kernel", convKernel);
        positive("time_step_rank", timeStepRank);
        positive("num_hidden_layers", numLayers);
        if (!(normEps > 0f) || Float.isInfinite(normEps)) {
            throw new RecurException("mamba config: layer_norm_epsilon must be a finite number > 0, got " + normEps);
        }
        if (normalizeBcDt && (!(mixerRmsEps > 0f) || Float.isInfinite(mixerRmsEps))) {
            throw new RecurException("mamba config: mixer_rms_eps must be a finite number > 0, got " + mixerRmsEps);
        }
    }

    /** The mixer's part of this config. */
    public MambaMixerConfig mixer() {
        return new MambaMixerConfig(intermediateSize, stateSize, convKernel, timeStepRank, useBias, useConvBias,
                normalizeBcDt ? MambaMixerConfig.DtBcNorm.UNWEIGHTED : MambaMixerConfig.DtBcNorm.NONE, mixerRmsEps);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("mamba config: " + field + " must be >= 1, got " + value);
        }
    }

    /** Reads a transformers config ({@code model_type} {@code mamba} or {@code falcon_mamba}). */
    public static MambaConfig fromHf(HfConfig c) {
        String type = c.modelType();
        boolean falcon = type.equals("falcon_mamba");
        if (!falcon && !type.equals("mamba")) {
            throw new RecurException(c.path() + ": model_type '" + type + "' is not a Mamba model");
        }
        String act = c.string("hidden_act", "silu");
        if (!act.equals("silu") && !act.equals("swish")) {
            throw new RecurException(c.path() + ": field 'hidden_act' expected silu (the only activation Mamba "
                    + "mixers use), got " + act);
        }
        int hidden = c.integer("hidden_size");
        int inner = c.has("intermediate_size") ? c.integer("intermediate_size")
                : (int) (c.number("expand", 2) * hidden);
        Object rank = c.raw("time_step_rank");
        int dtRank = rank == null || "auto".equals(rank) ? (hidden + 15) / 16
                : c.integer("time_step_rank");
        return new MambaConfig(type, c.integer("vocab_size"), hidden, inner,
                c.integer("state_size", 16), c.integer("conv_kernel", 4), dtRank,
                c.integer("num_hidden_layers"),
                (float) c.number("layer_norm_epsilon", 1e-5), c.bool("use_bias", false),
                c.bool("use_conv_bias", true), c.bool("tie_word_embeddings", true), falcon,
                (float) c.number("mixer_rms_eps", 1e-6));
    }
}
