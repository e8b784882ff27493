package dev.recur.layers.qlstm;

import dev.recur.core.RecurException;

/**
 * The shape of a quasi-LSTM layer. Validated when built: each message names the field and why.
 *
 * @param inputSize  features per timestep of the input, {@code I}
 * @param hiddenSize features of the cell and the output, {@code H}
 * @param forgetBias constant added to the forget pre-activation (the Languini baseline adds 1, so that the layer
 *                   starts out remembering)
 * @param initStd    standard deviation of the normal initialisation of the input weight (0.02 in Languini)
 */
public record QlstmConfig(int inputSize, int hiddenSize, float forgetBias, float initStd) {

    public QlstmConfig {
        if (inputSize <= 0) {
            throw new RecurException("QlstmConfig.inputSize: must be positive, got " + inputSize);
        }
        if (hiddenSize <= 0) {
            throw new RecurException("QlstmConfig.hiddenSize: must be positive, got " + hiddenSize);
        }
        if (!Float.isFinite(forgetBias)) {
            throw new RecurException("QlstmConfig.forgetBias: must be finite, got " + forgetBias);
        }
        if (!(initStd >= 0f) || Float.isInfinite(initStd)) {
            throw new RecurException("QlstmConfig.initStd: must be finite and >= 0, got " + initStd);
        }
        if (4L * hiddenSize * inputSize > Integer.MAX_VALUE) {
            throw new RecurException("QlstmConfig: the weight [" + inputSize + ", " + 4L * hiddenSize
                    + "] has more than 2^31-1 elements");
        }
    }

    /** The Languini defaults: forget bias 1, weights drawn with standard deviation 0.02. */
    public static QlstmConfig of(int inputSize, int hiddenSize) {
        return new QlstmConfig(inputSize, hiddenSize, 1f, 0.02f);
    }

    public QlstmConfig withInitStd(float value) {
        return new QlstmConfig(inputSize, hiddenSize, forgetBias, value);
    }
}
