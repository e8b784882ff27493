package dev.recur.layers.leaky;

import dev.recur.core.RecurException;

/**
 * The shape of a leaky RNN layer. Validated when built: each message names the field and why.
 *
 * @param inputSize  features per timestep of the input, {@code I}
 * @param hiddenSize neurons, {@code H}
 * @param activation the nonlinearity {@code f}
 * @param initialTau the time constant every neuron starts with; must be above 1 (tau = 1 is the limit that the
 *                   parameterisation {@code 1 + softplus(raw)} only approaches)
 */
public record LeakyRnnConfig(int inputSize, int hiddenSize, LeakyActivation activation, float initialTau) {

    public LeakyRnnConfig {
        if (inputSize <= 0) {
            throw new RecurException("LeakyRnnConfig.inputSize: must be positive, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new RecurException("LeakyRnnConfig.hiddenSize: must be positive, got " + hiddenSize);
        }
        if (activation == null) {
            throw new RecurException("LeakyRnnConfig.activation: must be set (TANH or RELU)");
        }
        if (!(initialTau > 1f) || Float.isInfinite(initialTau)) {
            throw new RecurException("LeakyRnnConfig.initialTau: must be finite and > 1, got " + initialTau);
        }
        if ((long) hiddenSize * Math.max(inputSize, hiddenSize) > Integer.MAX_VALUE) {
            throw new RecurException("LeakyRnnConfig: a weight of " + Math.max(inputSize, hiddenSize) + " x "
                    + hiddenSize + " has more than 2^31-1 elements");
        }
    }

    /** A tanh leaky RNN whose neurons start at tau = 2. */
    public static LeakyRnnConfig of(int inputSize, int hiddenSize) {
        return new LeakyRnnConfig(inputSize, hiddenSize, LeakyActivation.TANH, 2f);
    }

    public LeakyRnnConfig withActivation(LeakyActivation value) {
        return new LeakyRnnConfig(inputSize, hiddenSize, value, initialTau);
    }

    public LeakyRnnConfig withInitialTau(float value) {
        return new LeakyRnnConfig(inputSize, hiddenSize, activation, value);
    }
}
