package dev.recur.layers.ssm.mamba;

import dev.recur.core.RecurException;

/**
 * The sizes and switches of one Mamba mixer ({@link MambaMixer}), whichever model holds it: a Mamba or FalconMamba
 * LM, a Jamba layer or a stack block. Validated when built: every size positive, a finite epsilon {@code > 0}
 * where the step-size and B/C norms are on.
 *
 * @param intermediateSize D_inner, the mixer's inner width
 * @param stateSize        N, the SSM state size per channel
 * @param convKernel       K, the causal convolution's width
 * @param timeStepRank     R, the rank of the step-size projection
 * @param useBias          whether {@code in_proj} and {@code out_proj} have biases
 * @param useConvBias      whether the convolution has a bias
 * @param dtBcNorm         how dt, B and C are normalised right after {@code x_proj}
 * @param normEps          epsilon of those norms
 */
public record MambaMixerConfig(int intermediateSize, int stateSize, int convKernel, int timeStepRank,
                               boolean useBias, boolean useConvBias, DtBcNorm dtBcNorm, float normEps) {
    /** The RMSNorms on dt, B and C after {@code x_proj}. */
    public enum DtBcNorm {
        /** None (Mamba). */
        NONE,
        /** Without weights (FalconMamba's {@code mixer_rms_eps}). */
        UNWEIGHTED,
        /**
         * With weights {@code dt_layernorm}, {@code b_layernorm}, {@code c_layernorm} (Jamba; Lieber et al. 2024
         * added them for stability at scale).
         */
        WEIGHTED
    }

    public MambaMixerConfig {
        positive("intermediate_size", intermediateSize);
        positive("state_size", stateSize);
        positive("conv_kernel", convKernel);
        positive("time_step_rank", timeStepRank);
        if (dtBcNorm == null) {
            throw new RecurException("mamba mixer config: dtBcNorm is required");
        }
        if (dtBcNorm != DtBcNorm.NONE && (!(normEps > 0f) || Float.isInfinite(normEps))) {
            throw new RecurException("mamba mixer config: the dt/B/C norm epsilon must be a finite number > 0, got "
                    + normEps);
        }
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("mamba mixer config: " + field + " must be >= 1, got " + value);
        }
    }
}
