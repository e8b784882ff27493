package dev.recur.layers.hybrid.bamba;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;

/**
 * Bamba's feed-forward block (SwiGLU with {@code silu}): {@code down(act(gate(x)) * up(x))}, bias-free
 * ({@code BambaConfig} fixes {@code mlp_bias} to false). Weights {@code gate, up [M, D]}, {@code down [D, M]}.
 */
record GatedMlp(Tensor gate, Tensor up, Tensor down, String activation) {
    /** {@code x [..., D]} to {@code [..., D]}. */
    Tensor apply(Tensor x) {
        Tensor hidden = Arithmetic.mul(activate(Linear.apply(x, gate), activation), Linear.apply(x, up)); // [..., M]
        return Linear.apply(hidden, down);
    }

    /** transformers' {@code ACT2FN} for the names {@link BambaConfig} accepts. */
    static Tensor activate(Tensor x, String activation) {
        return switch (activation) {
            case "silu", "swish" -> Activations.silu(x);
            case "gelu" -> Activations.gelu(x);
            case "relu" -> Activations.relu(x);
            case "tanh" -> Activations.tanh(x);
            case "sigmoid" -> Activations.sigmoid(x);
            default -> throw new IllegalStateException("activation validated by BambaConfig: " + activation);
        };
    }
}
