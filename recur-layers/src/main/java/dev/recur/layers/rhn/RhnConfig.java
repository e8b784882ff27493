package dev.recur.layers.rhn;

import dev.recur.core.RecurException;

/**
 * The shape of a recurrent highway network layer. Validated when built: each message names the field and why.
 *
 * @param inputSize     features per timestep of the input, {@code I}
 * @param hiddenSize    features of the state {@code s}, {@code H}
 * @param depth         recurrence depth {@code L}: highway micro-steps per token (at least 1)
 * @param transformBias initial bias of the transform gate; negative values start the layer close to carrying its
 *                      state through (Zilly et al. use negative initial transform biases)
 * @param layerNorm     whether the recurrent pre-activations of each micro-step are layer-normalised (off in the
 *                      paper; when on, each micro-step has its own gain and shift)
 */
public record RhnConfig(int inputSize, int hiddenSize, int depth, float transformBias, boolean layerNorm) {

    public RhnConfig {
        positive("inputSize", inputSize);
        positive("hiddenSize", hiddenSize);
        positive("depth", depth);
        if (!Float.isFinite(transformBias)) {
            throw new RecurException("RhnConfig.transformBias: must be finite, got " + transformBias);
        }
        if (2L * hiddenSize * Math.max(inputSize, hiddenSize) > Integer.MAX_VALUE) {
            throw new RecurException("RhnConfig: a weight of " + Math.max(inputSize, hiddenSize) + " x "
                    + 2L * hiddenSize + " has more than 2^31-1 elements");
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new RecurException("RhnConfig." + field + ": must be positive, got " + value);
        }
    }

    /** An RHN with the given sizes and depth, transform bias -2 and no layer norm. */
    public static RhnConfig of(int inputSize, int hiddenSize, int depth) {
        return new RhnConfig(inputSize, hiddenSize, depth, -2f, false);
    }

    public RhnConfig withLayerNorm(boolean value) {
        return new RhnConfig(inputSize, hiddenSize, depth, transformBias, value);
    }

    public RhnConfig withTransformBias(float value) {
        return new RhnConfig(inputSize, hiddenSize, depth, value, layerNorm);
    }
}
