package dev.recur.layers.ssm.lbmamba;

import dev.recur.core.RecurException;

/**
 * The sizes of a Mamba encoder ({@link LbMambaEncoder}), validated when built.
 *
 * @param directions       which scans each layer runs
 * @param hiddenSize       the residual stream width
 * @param intermediateSize the mixer's inner width (Mamba's {@code expand * hidden})
 * @param stateSize        N, the SSM state size per channel
 * @param convKernel       K, the causal convolution's width
 * @param timeStepRank     R, the rank of the step-size projection
 * @param numLayers        residual blocks
 * @param window           W, the local backward scan's window (used by {@link ScanDirections#LOCAL} only)
 * @param normEps          epsilon of the blocks' and the final RMSNorm
 */
public record LbMambaConfig(ScanDirections directions, int hiddenSize, int intermediateSize, int stateSize,
                            int convKernel, int timeStepRank, int numLayers, int window, float normEps) {
    public LbMambaConfig {
        if (directions == null) {
            throw new RecurException("lbmamba config: directions is required");
        }
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("state_size", stateSize);
        positive("conv_kernel", convKernel);
        positive("time_step_rank", timeStepRank);
        positive("num_layers", numLayers);
        positive("window", window);
        if (!(normEps > 0f) || Float.isInfinite(normEps)) {
            throw new RecurException("lbmamba config: norm_eps must be a finite number > 0, got " + normEps);
        }
    }

    /** Mamba's defaults around a width: expand 2, state 16, conv 4, dt rank ceil(hidden / 16), eps 1e-5. */
    public static LbMambaConfig of(ScanDirections directions, int hiddenSize, int numLayers, int window) {
        positive("hidden_size", hiddenSize);
        return new LbMambaConfig(directions, hiddenSize, 2 * hiddenSize, 16, 4, (hiddenSize + 15) / 16, numLayers,
                window, 1e-5f);
    }

    /** The same sizes with another state size. */
    public LbMambaConfig withStateSize(int n) {
        return new LbMambaConfig(directions, hiddenSize, intermediateSize, n, convKernel, timeStepRank, numLayers,
                window, normEps);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new RecurException("lbmamba config: " + field + " must be >= 1, got " + value);
        }
    }
}
