package dev.recur.layers.ffn;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Embedding;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.ops.Softmax;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The sparse mixture of experts of Jamba and Qwen3-Next (transformers' {@code JambaSparseMoeBlock} and the routed
 * part of {@code Qwen3NextSparseMoeBlock}; Shazeer et al. 2017, "Outrageously Large Neural Networks"): per token,
 * router probabilities {@code p = softmax(W_r x)} over the experts, the {@code k} largest picked, and {@code y = sum_{e
 * in topk} p_e * expert_e(x)}. Jamba does not renormalise the picked probabilities; with {@code normalizeTopK}
 * (Mixtral, Qwen3-Next's {@code norm_topk_prob}) they are divided by their sum first. Each expert runs only on its
 * tokens; the outputs are added back expert after expert, as the reference's {@code index_add_} loop does. The pick
 * itself carries no gradient; the probabilities of the picked experts do (so the router learns).
 */
public final class SparseMoe implements FeedForward {
    private final Tensor router;               // [E, H]
    private final IntFunction<GatedMlp> experts;
    private final int numExperts;
    private final int topK;
    private final boolean normalizeTopK;

    /**
     * A router {@code [E, H]} over {@code numExperts} experts, {@code topK} per token; {@code normalizeTopK}: the
     * picked probabilities are renormalised to sum to one.
     */
    public SparseMoe(Tensor router, int numExperts, int topK, IntFunction<GatedMlp> experts,
                     boolean normalizeTopK) {
        this.router = router;
        this.numExperts = numExperts;
        this.topK = topK;
        this.experts = experts;
        this.normalizeTopK = normalizeTopK;
    }

    /**
     * A router {@code router [E, H]} (already taken) over experts taken under {@code prefix} ({@code experts.}):
     * either fused as transformers 5 stores them ({@code gate_up_proj [E, 2I, H]}, gate rows first, and
     * {@code down_proj [E, H, I]}) or one SwiGLU per expert ({@code e.gate_proj.weight}, ...).
     */
    public static SparseMoe load(Tensor router, int hidden, int inner, int topK, boolean normalizeTopK, String prefix,
                                 WeightSource take) {
        int experts = router.dim(0);
        List<GatedMlp> list = new ArrayList<>();
        if (take.has(prefix + "gate_up_proj")) {
            Tensor gateUp = take.apply(prefix + "gate_up_proj", experts, 2 * inner, hidden);
            Tensor down = take.apply(prefix + "down_proj", experts, hidden, inner);
            for (int k = 0; k < experts; k++) {
                list.add(GatedMlp.fused(gateUp, down, k));
            }
        } else {
            for (int k = 0; k < experts; k++) {
                list.add(GatedMlp.load(hidden, inner, prefix + k + ".", take));
            }
        }
        return new SparseMoe(router, experts, topK, list::get, normalizeTopK);
    }

    @Override
    public Tensor apply(Tensor x) {
        int hidden = x.dim(-1);
        int tokens = x.size() / hidden;
        Tensor flat = Reshaping.reshape(x, tokens, hidden);                    // [N, H]
        Tensor probs = Softmax.softmax(Linear.apply(flat, router, null), -1);  // [N, E]
        int[][] routed = route(probs.data(), tokens, numExperts, topK);
        Tensor weights = normalizeTopK ? renormalise(probs, routed, tokens) : probs;
        List<Tensor> outputs = new ArrayList<>();
        List<int[]> indices = new ArrayList<>();
        for (int e = 0; e < numExperts; e++) {
            if (routed[e].length == 0) {
                continue;
            }
            IntTensor ids = IntTensor.of(routed[e], routed[e].length);
            Tensor rows = Embedding.embedding(flat, ids);                              // [n_e, H]
            Tensor weight = Reshaping.slice(Embedding.embedding(weights, ids), 1, e, e + 1); // [n_e, 1]
            outputs.add(Arithmetic.mul(experts.apply(e).apply(rows), weight));
            indices.add(routed[e]);
        }
        Tensor y = IndexAdd.sum(tokens, hidden, outputs.toArray(new Tensor[0]), indices.toArray(new int[0][]));
        return Reshaping.reshape(y, x.shape());
    }

    /** {@code probs [N, E]} with each row's picked entries divided by their sum (the others are unused). */
    private Tensor renormalise(Tensor probs, int[][] routed, int tokens) {
        float[] mask = new float[tokens * numExperts];
        for (int e = 0; e < numExperts; e++) {
            for (int n : routed[e]) {
                mask[n * numExperts + e] = 1f;
            }
        }
        Tensor picked = Arithmetic.mul(probs, Tensor.of(mask, tokens, numExperts));
        return Arithmetic.div(probs, Reductions.sum(picked, -1, true));
    }

    /**
     * For each expert, the tokens routed to it (increasing), given probabilities {@code [N, E]}: each token goes to
     * its {@code k} most probable experts, an equal probability going to the lower expert index.
     */
    static int[][] route(float[] probs, int tokens, int numExperts, int topK) {
        int[] counts = new int[numExperts];
        boolean[] picked = new boolean[tokens * numExperts];
        for (int n = 0; n < tokens; n++) {
            int row = n * numExperts;
            for (int k = 0; k < topK; k++) {
                int best = -1;
                for (int e = 0; e < numExperts; e++) {
                    if (!picked[row + e] && (best < 0 || probs[row + e] > probs[row + best])) {
                        best = e;
                    }
                }
                picked[row + best] = true;
                counts[best]++;
            }
        }
        int[][] routed = new int[numExperts][];
        for (int e = 0; e < numExperts; e++) {
            routed[e] = new int[counts[e]];
            int c = 0;
            for (int n = 0; n < tokens; n++) {
                if (picked[n * numExperts + e]) {
                    routed[e][c++] = n;
                }
            }
        }
        return routed;
    }
}
