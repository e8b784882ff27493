package dev.recur.layers.ffn;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.WeightSource;
import java.util.function.UnaryOperator;

/**
 * The gated MLP of every hybrid here (the GLU variants of Shazeer 2020, "GLU Variants Improve Transformer"):
 * {@code down(act(gate(x)) * up(x))}. SwiGLU ({@code act = silu}, no biases) in Jamba, Bamba and Qwen3-Next and
 * as one expert of a {@link SparseMoe}, whose projections may read blocks of fused expert weights; GeGLU with
 * biases in RecurrentGemma.
 */
public final class GatedMlp implements FeedForward {
    private final UnaryOperator<Tensor> gate;       // H -> I
    private final UnaryOperator<Tensor> up;         // H -> I
    private final UnaryOperator<Tensor> down;       // I -> H
    private final UnaryOperator<Tensor> activation; // applied to the gate

    /** Three projections and the activation of the gate. */
    public GatedMlp(UnaryOperator<Tensor> gate, UnaryOperator<Tensor> up, UnaryOperator<Tensor> down,
                    UnaryOperator<Tensor> activation) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.activation = activation;
    }

    /** SwiGLU with bias-free weights {@code gate [I, H]}, {@code up [I, H]}, {@code down [H, I]}. */
    public static GatedMlp of(Tensor gate, Tensor up, Tensor down) {
        return of(gate, up, down, HfActivation.SILU);
    }

    /** Bias-free weights {@code gate [I, H]}, {@code up [I, H]}, {@code down [H, I]} and the gate's activation. */
    public static GatedMlp of(Tensor gate, Tensor up, Tensor down, UnaryOperator<Tensor> activation) {
        return new GatedMlp(x -> Linear.apply(x, gate, null), x -> Linear.apply(x, up, null),
                x -> Linear.apply(x, down, null), activation);
    }

    /**
     * A bias-free SwiGLU {@code hidden -> inner -> hidden} under transformers' names below {@code prefix}:
     * {@code gate_proj.weight}, {@code up_proj.weight}, {@code down_proj.weight}.
     */
    public static GatedMlp load(int hidden, int inner, String prefix, WeightSource take) {
        return load(hidden, inner, prefix, take, HfActivation.SILU);
    }

    /** As {@link #load(int, int, String, WeightSource)} with the gate's {@code activation}. */
    public static GatedMlp load(int hidden, int inner, String prefix, WeightSource take,
                                UnaryOperator<Tensor> activation) {
        return of(take.apply(prefix + "gate_proj.weight", inner, hidden),
                take.apply(prefix + "up_proj.weight", inner, hidden),
                take.apply(prefix + "down_proj.weight", hidden, inner), activation);
    }

    /** As {@link #load(int, int, String, WeightSource, UnaryOperator)}, each projection with a bias ({@code .bias}). */
    public static GatedMlp loadWithBiases(int hidden, int inner, String prefix, WeightSource take,
                                          UnaryOperator<Tensor> activation) {
        UnaryOperator<Tensor> gate = linear(take, prefix + "gate_proj.", inner, hidden);
        UnaryOperator<Tensor> up = linear(take, prefix + "up_proj.", inner, hidden);
        UnaryOperator<Tensor> down = linear(take, prefix + "down_proj.", hidden, inner);
        return new GatedMlp(gate, up, down, activation);
    }

    private static UnaryOperator<Tensor> linear(WeightSource take, String prefix, int out, int in) {
        Tensor weight = take.apply(prefix + "weight", out, in);
        Tensor bias = take.apply(prefix + "bias", out);
        return x -> Linear.apply(x, weight, bias);
    }

    /** Expert {@code e} of fused weights {@code gateUp [E, 2I, H]} (gate rows first) and {@code down [E, H, I]}. */
    public static GatedMlp fused(Tensor gateUp, Tensor down, int e) {
        int inner = gateUp.dim(1) / 2;
        return new GatedMlp(x -> ExpertLinear.apply(x, gateUp, e, 0, inner),
                x -> ExpertLinear.apply(x, gateUp, e, inner, inner),
                x -> ExpertLinear.apply(x, down, e, 0, down.dim(1)), HfActivation.SILU);
    }

    @Override
    public Tensor apply(Tensor x) {
        return down.apply(Arithmetic.mul(activation.apply(gate.apply(x)), up.apply(x)));
    }
}
