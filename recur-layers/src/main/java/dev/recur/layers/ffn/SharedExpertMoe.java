package dev.recur.layers.ffn;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;

/**
 * Qwen3-Next's mixture of experts (transformers' {@code Qwen3NextSparseMoeBlock}): the routed experts of a
 * {@link SparseMoe} (softmax router {@code gate}, top-k, the picked probabilities renormalised when
 * {@code norm_topk_prob}) plus a shared expert that every token uses, scaled by a learned sigmoid gate:
 * {@code y = moe(x) + sigmoid(shared_expert_gate x) * shared_expert(x)}.
 */
public final class SharedExpertMoe implements FeedForward {
    private final SparseMoe routed;
    private final GatedMlp shared;
    private final Tensor sharedGate; // [1, H]

    /** The routed experts, the shared expert and its gate {@code [1, H]}. */
    public SharedExpertMoe(SparseMoe routed, GatedMlp shared, Tensor sharedGate) {
        this.routed = routed;
        this.shared = shared;
        this.sharedGate = sharedGate;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor gate = Activations.sigmoid(Linear.apply(x, sharedGate, null));      // [B, T, 1]
        return Arithmetic.add(routed.apply(x), Arithmetic.mul(shared.apply(x), gate));
    }
}
