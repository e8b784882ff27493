package dev.recur.layers.hybrid.qwen3next;

import dev.recur.core.ops.Activations;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Linear;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.AttentionMixerKind;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;
import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import java.util.List;
import java.util.Map;

/**
 * Qwen3-Next's gated full attention (transformers' {@code Qwen3NextAttention}; the output gate of Qiu et al. 2025,
 * "Gated Attention for Large Language Models"), as a block mixer. {@code q_proj} gives, per head, the query followed
 * by a gate of the same width ({@code [B, T, heads, 2 * headDim]}); queries and keys go through per-head
 * zero-centred RMSNorms ({@code q_norm}, {@code k_norm}, weight {@code 1 + w}) before partial rotary embeddings;
 * causal grouped-query attention ({@link CausalAttention}) with scale {@code 1 / sqrt(headDim)}; the attended
 * values times {@code sigmoid(gate)}; {@code o_proj}. No biases.
 *
 * <p>State: the rotated keys and the values of every earlier token, {@code keys} and {@code values}
 * {@code [B, kvHeads, position, headDim]}, growing by each chunk.
 */
final class GatedAttention extends AdapterMixer {
    private static final String[] NAMES = {"keys", "values"};
    private final AttentionConfig attention;
    private final float eps;

    /** Takes the projections and norms from {@code p} (a checkpoint under e.g. {@code model.layers.3.self_attn.}). */
    GatedAttention(Qwen3NextConfig config, Params p) {
        super(new MixerShape(new BlockSpec(AttentionMixerKind.ATTN, Map.of("heads", config.heads())),
                config.hiddenSize(), 1f));
        this.attention = attentionConfig(config);
        this.eps = config.rmsEps();
        int h = config.hiddenSize();
        int qWidth = config.heads() * config.headDim();
        int kvWidth = config.kvHeads() * config.headDim();
        take(p, "q_proj.weight", new int[] {2 * qWidth, h}, Params.fanIn(2 * qWidth, h, 1f));
        take(p, "k_proj.weight", new int[] {kvWidth, h}, Params.fanIn(kvWidth, h, 1f));
        take(p, "v_proj.weight", new int[] {kvWidth, h}, Params.fanIn(kvWidth, h, 1f));
        take(p, "o_proj.weight", new int[] {h, qWidth}, Params.fanIn(h, qWidth, 1f));
        take(p, "q_norm.weight", new int[] {config.headDim()}, Params.constant(0f, config.headDim()));
        take(p, "k_norm.weight", new int[] {config.headDim()}, Params.constant(0f, config.headDim()));
    }

    static AttentionConfig attentionConfig(Qwen3NextConfig config) {
        return new AttentionConfig(config.heads(), config.kvHeads(), config.headDim(), config.rotaryDims(),
                config.ropeTheta(), 0);
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        KvCache empty = KvCache.empty(attention, batch);
        return MixerState.of(0, NAMES, empty.keys(), empty.values());
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        int batch = x.dim(0);
        int steps = x.dim(1);
        int heads = attention.heads();
        int kvHeads = attention.kvHeads();
        int headDim = attention.headDim();
        MixerState s = state == null ? initialState(batch) : state;
        int[] cacheShape = {batch, kvHeads, attention.cacheLength(s.position()), headDim};
        KvCache cache = new KvCache(shape.stateTensor(s, "keys", cacheShape),
                shape.stateTensor(s, "values", cacheShape));
        Tensor projected = Reshaping.reshape(Linear.apply(x, param("q_proj.weight"), null), batch, steps, heads,
                2 * headDim);
        List<Tensor> queryGate = Reshaping.split(projected, -1, headDim, headDim);   // [B, T, heads, hd] each
        Tensor query = OffsetRmsNorm.apply(queryGate.get(0), param("q_norm.weight"), eps);
        Tensor gate = Reshaping.reshape(queryGate.get(1), batch, steps, heads * headDim);
        Tensor key = OffsetRmsNorm.apply(Reshaping.reshape(Linear.apply(x, param("k_proj.weight"), null), batch,
                steps, kvHeads, headDim), param("k_norm.weight"), eps);
        CausalAttention.Result r = CausalAttention.forward(attention,
                Reshaping.reshape(query, batch, steps, heads * headDim),
                Reshaping.reshape(key, batch, steps, kvHeads * headDim),
                Linear.apply(x, param("v_proj.weight"), null), cache, s.position());
        Tensor gated = Arithmetic.mul(r.output(), Activations.sigmoid(gate));         // [B, T, heads * hd]
        return new MixerOutput(Linear.apply(gated, param("o_proj.weight"), null),
                MixerState.of(s.position() + steps, NAMES, r.cache().keys(), r.cache().values()));
    }
}
