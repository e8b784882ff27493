package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.hybrid.jamba.FeedForward;
import dev.recur.layers.hybrid.jamba.GatedMlp;
import dev.recur.layers.hybrid.jamba.SparseMoe;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen3-Next's mixture of experts (transformers' {@code Qwen3NextSparseMoeBlock}): the routed experts of a
 * {@link SparseMoe} (softmax router {@code gate}, top-k, the picked probabilities renormalised when
 * {@code norm_topk_prob}) plus a shared expert that every token uses, scaled by a learned sigmoid gate:
 * {@code y = moe(x) + sigmoid(shared_expert_gate x) * shared_expert(x)}.
 */
final class SharedExpertMoe implements FeedForward {
    private final SparseMoe routed;
    private final GatedMlp shared;
    private final Tensor sharedGate; // [1, H]

    SharedExpertMoe(SparseMoe routed, GatedMlp shared, Tensor sharedGate) {
        this.routed = routed;
        this.shared = shared;
        this.sharedGate = sharedGate;
    }

    /**
     * Takes the block under {@code prefix} (e.g. {@code model.layers.1.mlp.}): {@code gate.weight [E, H]}, the
     * experts either fused as transformers 5 stores them ({@code experts.gate_up_proj [E, 2I, H]}, gate rows first,
     * and {@code experts.down_proj [E, H, I]}) or one MLP per expert ({@code experts.e.gate_proj.weight}, ...),
     * {@code shared_expert.*} and {@code shared_expert_gate.weight [1, H]}.
     */
    static SharedExpertMoe take(Qwen3NextConfig config, String prefix, WeightSource take, boolean fused) {
        int h = config.hiddenSize();
        int experts = config.numExperts();
        int inner = config.moeIntermediate();
        Tensor router = take.apply(prefix + "gate.weight", experts, h);
        String e = prefix + "experts.";
        List<GatedMlp> list = new ArrayList<>();
        if (fused) {
            Tensor gateUp = take.apply(e + "gate_up_proj", experts, 2 * inner, h);
            Tensor down = take.apply(e + "down_proj", experts, h, inner);
            for (int k = 0; k < experts; k++) {
                list.add(GatedMlp.fused(gateUp, down, k));
            }
        } else {
            for (int k = 0; k < experts; k++) {
                list.add(Qwen3NextModel.dense(h, inner, e + k + ".", take));
            }
        }
        SparseMoe moe = new SparseMoe(router, experts, config.expertsPerToken(), list::get, config.normTopK());
        GatedMlp shared = Qwen3NextModel.dense(h, config.sharedIntermediate(), prefix + "shared_expert.", take);
        return new SharedExpertMoe(moe, shared, take.apply(prefix + "shared_expert_gate.weight", 1, h));
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor gate = Activations.sigmoid(Linear.apply(x, sharedGate, null));      // [B, T, 1]
        return Arithmetic.add(routed.apply(x), Arithmetic.mul(shared.apply(x), gate));
    }
}
