package dev.recur.layers.ffn;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Activations;
import dev.recur.core.tensor.Tensor;
import java.util.function.UnaryOperator;

/**
 * The activations transformers' {@code ACT2FN} names that the hybrids here use, by the names their configs give.
 */
public enum HfActivation implements UnaryOperator<Tensor> {
    /** {@code silu} (also spelled {@code swish}). */
    SILU,
    /** {@code gelu}: the exact, erf-based GELU. */
    GELU,
    /** {@code gelu_pytorch_tanh}: GELU's tanh approximation. */
    GELU_TANH,
    RELU,
    TANH,
    SIGMOID;

    /** The activation transformers calls {@code name}; {@code where} names the field for the error. */
    public static HfActivation named(String name, String where) {
        return switch (name) {
            case "silu", "swish" -> SILU;
            case "gelu" -> GELU;
            case "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            case "tanh" -> TANH;
            case "sigmoid" -> SIGMOID;
            default -> throw new RecurException(where + ": activation '" + name + "' is not supported (silu, swish,"
                    + " gelu, gelu_pytorch_tanh, relu, tanh, sigmoid)");
        };
    }

    @Override
    public Tensor apply(Tensor x) {
        return switch (this) {
            case SILU -> Activations.silu(x);
            case GELU -> Activations.gelu(x, "none");
            case GELU_TANH -> Activations.gelu(x, "tanh");
            case RELU -> Activations.relu(x);
            case TANH -> Activations.tanh(x);
            case SIGMOID -> Activations.sigmoid(x);
        };
    }
}
