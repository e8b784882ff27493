package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import java.util.Locale;

/**
 * The activation functions a recurrent cell can apply to its gates, the three of ONNX's list (Operators.md, LSTM,
 * GRU and RNN: "Activation functions") that take no parameters. Each derivative is a function of the activation's
 * output, which is what the kernels keep: {@code sigmoid' = y (1 - y)}, {@code tanh' = 1 - y^2},
 * {@code relu' = 1} where {@code y > 0}, else 0.
 */
public enum Activation {
    /** {@code 1 / (1 + e^-x)}. */
    SIGMOID("Sigmoid"),
    /** {@code (1 - e^-2x) / (1 + e^-2x)}. */
    TANH("Tanh"),
    /** {@code max(0, x)}. */
    RELU("Relu");

    private final String onnxName;

    Activation(String onnxName) {
        this.onnxName = onnxName;
    }

    /** The name ONNX's {@code activations} attribute uses: {@code Sigmoid}, {@code Tanh} or {@code Relu}. */
    public String onnxName() {
        return onnxName;
    }

    /** The function at {@code v}, in the scalar form the reference kernels use. */
    public float apply(float v) {
        switch (this) {
            case SIGMOID:
                return ReferenceMath.sigmoid(v);
            case TANH:
                return ReferenceMath.tanh(v);
            default:
                return v > 0f ? v : 0f;
        }
    }

    /** The derivative at the input whose output is {@code y}. */
    public float derivative(float y) {
        switch (this) {
            case SIGMOID:
                return y * (1f - y);
            case TANH:
                return 1f - y * y;
            default:
                return y > 0f ? 1f : 0f;
        }
    }

    /** The activation an ONNX name denotes, in any case ({@code sigmoid}, {@code Tanh}, {@code RELU}, ...). */
    public static Activation parse(String name) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        for (Activation a : values()) {
            if (a.onnxName.toLowerCase(Locale.ROOT).equals(lower)) {
                return a;
            }
        }
        throw new RecurException("Activation: expected Sigmoid, Tanh or Relu, got '" + name + "'");
    }
}
