package dev.recur.layers.attention;

import dev.recur.layers.block.AdapterMixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerShape;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Linear;
import dev.recur.core.tensor.Tensor;

/**
 * {@code attn}: multi-head causal softmax attention ({@link CausalAttention}) with rotary positions on every
 * head dimension (theta 10000): {@code y = W_o attn(W_q x, W_k x, W_v x)}, no biases. Options: {@code heads}
 * (default one per 32 channels; {@code d_model / heads} must be even) and {@code window} (tokens each query sees;
 * default 0, every earlier token). State: the key/value cache {@code keys}, {@code values}
 * {@code [B, heads, C, headDim]}, which grows with the tokens seen unless windowed.
 */
final class AttentionMixer extends AdapterMixer {
    private static final String[] NAMES = {"keys", "values"};
    private final AttentionConfig config;

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
        for (String name : new String[] {"wq", "wk", "wv"}) {
            take(p, name, new int[] {d, d}, Params.fanIn(d, d, 1f));
        }
        take(p, "wo", new int[] {d, d}, Params.fanIn(d, d, shape.outScale()));
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
        CausalAttention.Result r = CausalAttention.forward(config, Linear.apply(x, param("wq")),
                Linear.apply(x, param("wk")), Linear.apply(x, param("wv")), cache, s.position());
        return new MixerOutput(Linear.apply(r.output(), param("wo")),
                MixerState.of(s.position() + x.dim(1), NAMES, r.cache().keys(), r.cache().values()));
    }
}
