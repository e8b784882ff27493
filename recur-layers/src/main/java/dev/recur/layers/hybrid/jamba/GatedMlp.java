package dev.recur.layers.hybrid.jamba;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;
import java.util.function.UnaryOperator;

/**
 * Jamba's dense MLP (transformers' {@code JambaMLP}, the SwiGLU of Shazeer 2020, "GLU Variants Improve
 * Transformer"): {@code down(silu(gate(x)) * up(x))}, no biases. Also one expert of a {@link SparseMoe}, whose
 * projections may read blocks of fused expert weights.
 */
public final class GatedMlp implements FeedForward {
    private final UnaryOperator<Tensor> gate; // H -> I
    private final UnaryOperator<Tensor> up;   // H -> I
    private final UnaryOperator<Tensor> down; // I -> H

    GatedMlp(UnaryOperator<Tensor> gate, UnaryOperator<Tensor> up, UnaryOperator<Tensor> down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** With weights {@code gate [I, H]}, {@code up [I, H]}, {@code down [H, I]}. */
    public static GatedMlp of(Tensor gate, Tensor up, Tensor down) {
        return new GatedMlp(x -> Linear.apply(x, gate, null), x -> Linear.apply(x, up, null),
                x -> Linear.apply(x, down, null));
    }

    /** Expert {@code e} of fused weights {@code gateUp [E, 2I, H]} (gate rows first) and {@code down [E, H, I]}. */
    public static GatedMlp fused(Tensor gateUp, Tensor down, int e) {
        int inner = gateUp.dim(1) / 2;
        return new GatedMlp(x -> ExpertLinear.apply(x, gateUp, e, 0, inner),
                x -> ExpertLinear.apply(x, gateUp, e, inner, inner),
                x -> ExpertLinear.apply(x, down, e, 0, down.dim(1)));
    }

    @Override
    public Tensor apply(Tensor x) {
        return down.apply(Arithmetic.mul(Activations.silu(gate.apply(x)), up.apply(x)));
    }
}
