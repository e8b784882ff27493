package dev.recur.layers.hybrid.jamba;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.ssm.mamba.Linear;

/**
 * Jamba's dense MLP (transformers' {@code JambaMLP}, the SwiGLU of Shazeer 2020, "GLU Variants Improve
 * Transformer"): {@code down(silu(gate(x)) * up(x))}, no biases. Also one expert of a {@link SparseMoe}.
 */
final class GatedMlp implements FeedForward {
    private final Tensor gate; // [I, H]
    private final Tensor up;   // [I, H]
    private final Tensor down; // [H, I]

    GatedMlp(Tensor gate, Tensor up, Tensor down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor h = Arithmetic.mul(Activations.silu(Linear.apply(x, gate, null)), Linear.apply(x, up, null));
        return Linear.apply(h, down, null);
    }
}
