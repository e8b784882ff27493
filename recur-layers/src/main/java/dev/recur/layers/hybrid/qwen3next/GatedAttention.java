package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;
import dev.recur.core.ops.Linear;
import dev.recur.layers.lm.WeightSource;
import java.util.List;
import java.util.Map;

/**
 * Qwen3-Next's gated full attention (transformers' {@code Qwen3NextAttention}; the output gate of Qiu et al. 2025,
 * "Gated Attention for Large Language Models"). {@code q_proj} gives, per head, the query followed by a gate of the
 * same width ({@code [B, T, heads, 2 * headDim]}); queries and keys go through per-head zero-centred RMSNorms
 * ({@code q_norm}, {@code k_norm}, weight {@code 1 + w}) before partial rotary embeddings; causal grouped-query
 * attention with scale {@code 1 / sqrt(headDim)}; the attended values times {@code sigmoid(gate)}; {@code o_proj}.
 * No biases.
 *
 * <p>State: the rotated keys and the values of every earlier token, {@code layers.i.keys} and
 * {@code layers.i.values} {@code [B, kvHeads, position, headDim]}, growing by each chunk.
 */
final class GatedAttention implements TokenMixer {
    private final int layer;
    private final AttentionConfig attention;
    private final float eps;
    private final Tensor q;     // [heads * 2 * headDim, H], per head: query rows then gate rows
    private final Tensor k;     // [kvHeads * headDim, H]
    private final Tensor v;     // [kvHeads * headDim, H]
    private final Tensor o;     // [H, heads * headDim]
    private final Tensor qNorm; // [headDim]
    private final Tensor kNorm; // [headDim]

    /** Takes the projections and norms under {@code prefix} (e.g. {@code model.layers.3.self_attn.}). */
    GatedAttention(int layer, Qwen3NextConfig config, String prefix, WeightSource take) {
        this.layer = layer;
        this.attention = attentionConfig(config);
        this.eps = config.rmsEps();
        int h = config.hiddenSize();
        int qWidth = config.heads() * config.headDim();
        int kvWidth = config.kvHeads() * config.headDim();
        q = take.apply(prefix + "q_proj.weight", 2 * qWidth, h);
        k = take.apply(prefix + "k_proj.weight", kvWidth, h);
        v = take.apply(prefix + "v_proj.weight", kvWidth, h);
        o = take.apply(prefix + "o_proj.weight", h, qWidth);
        qNorm = take.apply(prefix + "q_norm.weight", config.headDim());
        kNorm = take.apply(prefix + "k_norm.weight", config.headDim());
    }

    static AttentionConfig attentionConfig(Qwen3NextConfig config) {
        return new AttentionConfig(config.heads(), config.kvHeads(), config.headDim(), config.rotaryDims(),
                config.ropeTheta(), 0);
    }

    @Override
    public Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start) {
        int batch = x.dim(0);
        int steps = x.dim(1);
        int heads = attention.heads();
        int kvHeads = attention.kvHeads();
        int headDim = attention.headDim();
        Tensor projected = Reshaping.reshape(Linear.apply(x, q, null), batch, steps, heads, 2 * headDim);
        List<Tensor> queryGate = Reshaping.split(projected, -1, headDim, headDim);   // [B, T, heads, hd] each
        Tensor query = OffsetRmsNorm.apply(queryGate.get(0), qNorm, eps);
        Tensor gate = Reshaping.reshape(queryGate.get(1), batch, steps, heads * headDim);
        Tensor key = OffsetRmsNorm.apply(
                Reshaping.reshape(Linear.apply(x, k, null), batch, steps, kvHeads, headDim), kNorm, eps);
        KvCache cache = new KvCache(state.get(Qwen3NextState.keys(layer)), state.get(Qwen3NextState.values(layer)));
        CausalAttention.Result r = CausalAttention.forward(attention,
                Reshaping.reshape(query, batch, steps, heads * headDim),
                Reshaping.reshape(key, batch, steps, kvHeads * headDim), Linear.apply(x, v, null), cache, start);
        next.put(Qwen3NextState.keys(layer), r.cache().keys());
        next.put(Qwen3NextState.values(layer), r.cache().values());
        Tensor gated = Arithmetic.mul(r.output(), Activations.sigmoid(gate));         // [B, T, heads * hd]
        return Linear.apply(gated, o, null);
    }
}
