package dev.recur.cli.bench;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Matmul;
import dev.recur.core.ops.Norms;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import dev.recur.layers.attention.KvCache;

/**
 * Causal softmax attention with a KV cache: per block {@code W_q, W_k, W_v, W_o [d, d]}, {@code d / 64} heads of
 * 64 (at least one head, width {@code d}), rotary positions. A step attends to every cached key: its cost and
 * its state grow with the context.
 */
final class AttentionDecode extends DecodeStack<AttentionDecode.State> {
    /** Each layer's cache and the next position. */
    record State(KvCache[] caches, long position) {}

    private final AttentionConfig config;
    private final Tensor[][] blocks; // per layer: norm [d], wq, wk, wv, wo [d, d]

    AttentionDecode(int dModel, int layers, long seed) {
        super(dModel, layers);
        int headDim = Math.min(64, dModel);
        int heads = dModel / headDim;
        this.config = new AttentionConfig(heads, heads, headDim, headDim, 10000.0, 0);
        Rng rng = new Rng(seed);
        float std = (float) (1 / Math.sqrt(dModel));
        blocks = new Tensor[layers][];
        for (int l = 0; l < layers; l++) {
            blocks[l] = new Tensor[] {Tensor.full(1f, dModel), Tensor.randn(rng, std, dModel, dModel),
                Tensor.randn(rng, std, dModel, dModel), Tensor.randn(rng, std, dModel, dModel),
                Tensor.randn(rng, std, dModel, dModel)};
        }
    }

    @Override
    String name() {
        return "attn";
    }

    @Override
    State start() {
        KvCache[] caches = new KvCache[layers];
        for (int l = 0; l < layers; l++) {
            caches[l] = KvCache.empty(config, 1);
        }
        return new State(caches, 0);
    }

    @Override
    State forward(Tensor x, State state) {
        KvCache[] next = new KvCache[layers];
        for (int l = 0; l < layers; l++) {
            Tensor[] b = blocks[l];
            Tensor n = Norms.rmsNorm(x, b[0], 1e-5f);                          // [1, T, d]
            CausalAttention.Result a = CausalAttention.forward(config, Matmul.matmul(n, b[1]),
                    Matmul.matmul(n, b[2]), Matmul.matmul(n, b[3]), state.caches()[l], state.position());
            next[l] = a.cache();
            x = Arithmetic.add(x, Matmul.matmul(a.output(), b[4]));
        }
        return new State(next, state.position() + x.dim(1));
    }

    @Override
    long stateFloats(State state) {
        long n = 0;
        for (KvCache c : state.caches()) {
            n += c.keys().size() + c.values().size();
        }
        return n;
    }

    @Override
    long weightFloats() {
        long n = 0;
        for (Tensor[] block : blocks) {
            n += floats(block);
        }
        return n;
    }
}
