package dev.recur.layers.hybrid.jamba;

import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.Map;

/**
 * The attention mixer of a Jamba layer (transformers' {@code JambaAttention}): causal grouped-query attention over
 * every earlier token, {@code o_proj(attention(q_proj x, k_proj x, v_proj x))}, no biases and no positional
 * encoding at all (Lieber et al. 2024 found the Mamba layers give enough position information).
 *
 * <p>State: the keys and values of every earlier token, {@code layers.i.keys} and {@code layers.i.values}
 * {@code [B, kvHeads, position, headDim]}, growing by each chunk.
 */
final class JambaAttention implements TokenMixer {
    private final int layer;
    private final AttentionConfig attention;
    private final Tensor q; // [heads * headDim, H]
    private final Tensor k; // [kvHeads * headDim, H]
    private final Tensor v; // [kvHeads * headDim, H]
    private final Tensor o; // [H, heads * headDim]

    /** Takes the projections under {@code prefix} (e.g. {@code model.layers.2.self_attn.}). */
    JambaAttention(int layer, JambaConfig config, String prefix, WeightSource take) {
        this.layer = layer;
        this.attention = attentionConfig(config);
        int h = config.hiddenSize();
        int qWidth = config.heads() * config.headDim();
        int kvWidth = config.kvHeads() * config.headDim();
        k = take.apply(prefix + "k_proj.weight", kvWidth, h);
        o = take.apply(prefix + "o_proj.weight", h, qWidth);
        q = take.apply(prefix + "q_proj.weight", qWidth, h);
        v = take.apply(prefix + "v_proj.weight", kvWidth, h);
    }

    static AttentionConfig attentionConfig(JambaConfig config) {
        return new AttentionConfig(config.heads(), config.kvHeads(), config.headDim(), 0, 0.0, 0);
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        KvCache cache = new KvCache(state.get(JambaState.keys(layer)), state.get(JambaState.values(layer)));
        CausalAttention.Result r = CausalAttention.forward(attention, Linear.apply(x, q, null),
                Linear.apply(x, k, null), Linear.apply(x, v, null), cache, start);
        next.put(JambaState.keys(layer), r.cache().keys());
        next.put(JambaState.values(layer), r.cache().values());
        return Linear.apply(r.output(), o, null);
    }
}
