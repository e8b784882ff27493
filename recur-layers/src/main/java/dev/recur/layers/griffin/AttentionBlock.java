package dev.recur.layers.griffin;

import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;
import dev.recur.core.tensor.Tensor;
import java.util.Map;

/**
 * Griffin's local attention block: multi-query (or grouped-query) attention with partial rotary embeddings over a
 * sliding window, {@code out = W_o attention(W_q x, W_k x, W_v x) + b_o}. State: the window's cached keys and
 * values ({@code layers.i.keys}, {@code layers.i.values} {@code [B, kvHeads, window-1, headDim]}).
 */
final class AttentionBlock implements TemporalBlock {
    private final int index;
    private final AttentionConfig config;
    private final Projection q;
    private final Projection k;
    private final Projection v;
    private final Projection o;

    AttentionBlock(int index, AttentionConfig config, Projection q, Projection k, Projection v, Projection o) {
        this.index = index;
        this.config = config;
        this.q = q;
        this.k = k;
        this.v = v;
        this.o = o;
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        KvCache cache = new KvCache(state.get(RecurrentGemmaState.keys(index)),
                state.get(RecurrentGemmaState.values(index)));
        CausalAttention.Result r = CausalAttention.forward(config, q.apply(x), k.apply(x), v.apply(x), cache, start);
        next.put(RecurrentGemmaState.keys(index), r.cache().keys());
        next.put(RecurrentGemmaState.values(index), r.cache().values());
        return o.apply(r.output());
    }
}
