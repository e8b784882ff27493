package dev.recur.layers.attention;

import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Linear;
import dev.recur.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Causal softmax attention ({@link CausalAttention}) between four projections,
 * {@code y = W_o attn(W_q x + b_q, W_k x + b_k, W_v x + b_v) + b_o}, as a block mixer. State: the key/value cache
 * {@code keys}, {@code values} {@code [B, kvHeads, C, headDim]}, which grows with the tokens seen unless windowed.
 *
 * <p>As the stack kind {@code attn}: multi-head, rotary positions on every head dimension (theta 10000), no
 * biases, weights {@code wq, wk, wv, wo}. Options: {@code heads} (default one per 32 channels;
 * {@code d_model / heads} must be even) and {@code window} (tokens each query sees; default 0, every earlier
 * token). Loaded from a checkpoint ({@link #load}), it is the attention layer of an HF hybrid, under transformers'
 * names ({@code q_proj.weight}, ...): Jamba's (no positions), Bamba's (partial rotary) and RecurrentGemma's (local,
 * multi-query, with biases).
 */
public final class AttentionMixer extends AdapterMixer {
    private static final String[] NAMES = {"keys", "values"};
    private final AttentionConfig config;
    private final String[] weights; // q, k, v, o
    private final String[] biases;   // q, k, v, o; null where absent

    /** The stack kind {@code attn} over {@code shape}. */
    AttentionMixer(MixerShape shape, Params p) {
        super(shape);
        int d = shape.dModel();
        int heads = shape.heads();
        int headDim = d / heads;
        if (headDim % 2 != 0) {
            throw new RecurException("stack block '" + shape.spec() + "': rotary positions need an even head size,"
                    + " got d_model " + d + " / heads " + heads + " = " + headDim);
        }
        this.config = new AttentionConfig(heads, heads, headDim, headDim, 10000.0, shape.spec().option("window", 0));
        this.weights = new String[] {"wq", "wk", "wv", "wo"};
        this.biases = new String[4];
        for (String name : new String[] {"wq", "wk", "wv"}) {
            take(p, name, new int[] {d, d}, Params.fanIn(d, d, 1f));
        }
        take(p, "wo", new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
    }

    private AttentionMixer(MixerShape shape, AttentionConfig config, boolean qkvBias, boolean outBias, Params p) {
        super(shape);
        this.config = config;
        this.weights = new String[] {"q_proj.weight", "k_proj.weight", "v_proj.weight", "o_proj.weight"};
        this.biases = new String[] {qkvBias ? "q_proj.bias" : null, qkvBias ? "k_proj.bias" : null,
            qkvBias ? "v_proj.bias" : null, outBias ? "o_proj.bias" : null};
        int d = shape.dModel();
        int qWidth = config.heads() * config.headDim();
        int kvWidth = config.kvHeads() * config.headDim();
        int[] out = {qWidth, kvWidth, kvWidth, d};
        int[] in = {d, d, d, qWidth};
        for (int i = 0; i < 4; i++) {
            take(p, weights[i], new int[] {out[i], in[i]}, Params.fanIn(out[i], in[i], 1f));
            if (biases[i] != null) {
                take(p, biases[i], new int[] {out[i]}, Params.constant(0f, out[i]));
            }
        }
    }

    /**
     * Attention of {@code config} over a residual stream of {@code hidden}, its projections taken from {@code p}
     * under transformers' names, with biases on q, k and v when {@code qkvBias} and on o when {@code outBias}.
     */
    public static AttentionMixer load(AttentionConfig config, int hidden, boolean qkvBias, boolean outBias,
                                      Params p) {
        Map<String, Integer> options = new LinkedHashMap<>();
        options.put("heads", config.heads());
        options.put("window", config.window());
        MixerShape shape = new MixerShape(new BlockSpec(AttentionMixerKind.ATTN, options), hidden, 1f);
        return new AttentionMixer(shape, config, qkvBias, outBias, p);
    }

    public AttentionConfig config() {
        return config;
    }

    @Override
    public MixerState initialState(int batch) {
        shape.requireBatch(batch);
        KvCache empty = KvCache.empty(config, batch);
        return MixerState.of(0, NAMES, empty.keys(), empty.values());
    }

    @Override
    public MixerOutput forward(Tensor x, MixerState state) {
        shape.requireInput(x);
        MixerState s = state == null ? initialState(x.dim(0)) : state;
        int cached = config.cacheLength(s.position());
        int[] cacheShape = {x.dim(0), config.kvHeads(), cached, config.headDim()};
        KvCache cache = new KvCache(shape.stateTensor(s, "keys", cacheShape),
                shape.stateTensor(s, "values", cacheShape));
        CausalAttention.Result r = CausalAttention.forward(config, project(x, 0), project(x, 1), project(x, 2),
                cache, s.position());
        return new MixerOutput(project(r.output(), 3),
                MixerState.of(s.position() + x.dim(1), NAMES, r.cache().keys(), r.cache().values()));
    }

    private Tensor project(Tensor x, int which) {
        return Linear.apply(x, param(weights[which]), biases[which] == null ? null : param(biases[which]));
    }
}
