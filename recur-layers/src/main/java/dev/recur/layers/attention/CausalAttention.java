package dev.recur.layers.attention;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.attention.CachedAttention;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.BatchedMatmul;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.ops.Softmax;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal scaled dot-product attention over projected queries, keys and values, with rotary embeddings, grouped
 * key/value heads, an optional sliding window and a {@link KvCache} carried between calls.
 *
 * <p>For query token {@code t} at position {@code p = start + t}, head {@code h} reading key/value head
 * {@code g = h / groupSize}: {@code o = softmax_j(q_h . k_{g,j} / sqrt(headDim) + mask_j) v_{g,j}} over the cached
 * tokens followed by the chunk's own, where {@code mask_j} is 0 for a key at position {@code p - window < p_j <= p}
 * (or any {@code p_j <= p} without a window) and {@code -inf} otherwise. Queries of one group are stacked
 * into one matrix per key/value head, so no key is copied per query head. Built from autograd ops
 * ({@link BatchedMatmul}, {@link Softmax}, ...): gradients reach the queries, keys, values and the incoming cache.
 * With a window, long chunks run as blocks of queries that pass the cache along, so memory stays linear in T.
 * A one-token step without gradients over an unbounded {@link KvCache} decoding buffer appends in place and reads
 * the cache where it lies instead.
 */
public final class CausalAttention {
    /** With a window, queries run in blocks of {@code max(window, MIN_BLOCK)} tokens. */
    static final int MIN_BLOCK = 64;

    /** The attended values {@code [B, T, heads * headDim]} and the cache after the chunk. */
    public record Result(Tensor output, KvCache cache) {}

    private CausalAttention() {}

    /**
     * Attends queries {@code q [B, T, heads * headDim]} to keys and values {@code [B, T, kvHeads * headDim]} of
     * the same tokens and to {@code cache} (null: nothing before), the chunk starting at position {@code start}.
     */
    public static Result forward(AttentionConfig c, Tensor q, Tensor k, Tensor v, KvCache cache, long start) {
        if (q.rank() != 3 || q.dim(1) == 0 || q.dim(2) != c.heads() * c.headDim()) {
            throw new RecurException("attention: expected q [B, T, " + c.heads() * c.headDim() + "] with T >= 1, got "
                    + Shapes.format(q.shape()));
        }
        int batch = q.dim(0);
        int steps = q.dim(1);
        int[] kvShape = {batch, steps, c.kvHeads() * c.headDim()};
        Shapes.require("attention", "k", kvShape, k.shape());
        Shapes.require("attention", "v", kvShape, v.shape());
        if (start < 0) {
            throw new RecurException("attention: start position must be >= 0, got " + start);
        }
        KvCache past = cache == null ? emptyFor(c, batch, start) : cache;
        past.check(c, batch, start, "attention");
        boolean decoding = past.buffered() && !Tensor.recordsGrad(q, k, v);
        if (decoding && steps == 1) {
            return step(c, q, k, v, past, start);
        }
        int block = Math.max(c.window(), MIN_BLOCK);
        if (c.window() == 0 || steps <= block) {
            Result r = attend(c, q, k, v, past, start);
            // A decoding buffer stays one (one copy per chunk), so that the steps after a prompt append in place.
            return decoding ? new Result(r.output(), r.cache().toBuffer()) : r;
        }
        // A window bounds what a query sees, so blocks of queries carrying the cache give the same result with
        // memory linear in the length instead of quadratic.
        List<Tensor> outputs = new ArrayList<>();
        KvCache carried = past;
        for (int from = 0; from < steps; from += block) {
            int to = Math.min(steps, from + block);
            Result r = attend(c, Reshaping.slice(q, 1, from, to), Reshaping.slice(k, 1, from, to),
                    Reshaping.slice(v, 1, from, to), carried, start + from);
            outputs.add(r.output());
            carried = r.cache();
        }
        return new Result(Reshaping.concat(1, outputs.toArray(new Tensor[0])), carried);
    }

    /**
     * One token per stream without gradients, against a decoding buffer: the token's rotated key and value are
     * appended in place and the query attends to the buffer where it lies. The same attention as {@link #attend}
     * (every cached token is visible to the newest one when the cache is unbounded), summed in another order.
     */
    private static Result step(AttentionConfig c, Tensor q, Tensor k, Tensor v, KvCache past, long start) {
        int batch = q.dim(0);
        Tensor qh = RotaryEmbedding.apply(heads(q, c.heads(), c.headDim()), c.rotaryDims(), c.ropeTheta(), start);
        Tensor kh = RotaryEmbedding.apply(heads(k, c.kvHeads(), c.headDim()), c.rotaryDims(), c.ropeTheta(), start);
        // With one token, [B, N, 1, hd] holds the same floats as [B, N, hd].
        KvCache next = past.append(kh.data(), heads(v, c.kvHeads(), c.headDim()).data());
        float[] out = new float[batch * c.heads() * c.headDim()];
        CachedAttention.attend(qh.data(), c.heads(), next.layout(), next.keyBuffer(), next.valueBuffer(),
                next.length(), (float) (1.0 / Math.sqrt(c.headDim())), out);
        return new Result(Tensor.of(out, batch, 1, c.heads() * c.headDim()), next);
    }

    /** One block of queries against the cache and the block's own keys. */
    private static Result attend(AttentionConfig c, Tensor q, Tensor k, Tensor v, KvCache past, long start) {
        int batch = q.dim(0);
        int steps = q.dim(1);
        int cached = past.keys().dim(2);

        Tensor qh = RotaryEmbedding.apply(heads(q, c.heads(), c.headDim()), c.rotaryDims(), c.ropeTheta(), start);
        Tensor kh = RotaryEmbedding.apply(heads(k, c.kvHeads(), c.headDim()), c.rotaryDims(), c.ropeTheta(), start);
        Tensor vh = heads(v, c.kvHeads(), c.headDim());
        Tensor keys = cached == 0 ? kh : Reshaping.concat(2, past.keys(), kh); // [B, G, C+T, hd]
        Tensor values = cached == 0 ? vh : Reshaping.concat(2, past.values(), vh);

        int group = c.groupSize();
        int span = cached + steps;
        // The group's query heads are consecutive: [B, H, T, hd] -> [B, G, group*T, hd] is a relabelling.
        Tensor grouped = Reshaping.reshape(qh, batch, c.kvHeads(), group * steps, c.headDim());
        Tensor scores = BatchedMatmul.bmm(grouped, keys, false, true); // [B, G, group*T, C+T]
        scores = Arithmetic.mul(scores, (float) (1.0 / Math.sqrt(c.headDim())));
        scores = Arithmetic.add(scores, mask(c, group, steps, cached, span, start)); // mask [group*T, C+T]
        Tensor probs = Softmax.softmax(scores, -1);
        Tensor out = BatchedMatmul.bmm(probs, values); // [B, G, group*T, hd]
        out = Reshaping.reshape(out, batch, c.heads(), steps, c.headDim());
        out = Reshaping.permute(out, 0, 2, 1, 3); // [B, T, H, hd]
        out = Reshaping.reshape(out, batch, steps, c.heads() * c.headDim());

        int keep = c.cacheLength(start + steps);
        KvCache next = keep == span ? new KvCache(keys, values)
                : new KvCache(Reshaping.slice(keys, 2, span - keep, span), Reshaping.slice(values, 2, span - keep, span));
        return new Result(out, next);
    }

    /** The cache an empty history has at {@code start} (only position 0 has none to give). */
    private static KvCache emptyFor(AttentionConfig c, int batch, long start) {
        if (start != 0) {
            throw new RecurException("attention: a chunk at position " + start + " needs the cache of the tokens"
                    + " before it, got none");
        }
        return KvCache.empty(c, batch);
    }

    /** {@code x [B, T, N * hd]} -> {@code [B, N, T, hd]}. */
    private static Tensor heads(Tensor x, int n, int headDim) {
        Tensor split = Reshaping.reshape(x, x.dim(0), x.dim(1), n, headDim);
        return Reshaping.permute(split, 0, 2, 1, 3);
    }

    /**
     * The additive mask {@code [group * T, C + T]}: row {@code r} is query token {@code r % T}; column {@code j}
     * is the key at position {@code start - C + j}, hidden when before position 0, after the query, or (with a
     * window) {@code window} or more tokens before it.
     */
    static Tensor mask(AttentionConfig c, int group, int steps, int cached, int span, long start) {
        float[] m = new float[group * steps * span];
        for (int r = 0; r < group * steps; r++) {
            long qp = start + r % steps;
            for (int j = 0; j < span; j++) {
                long kp = start - cached + j;
                boolean visible = kp >= 0 && kp <= qp && (c.window() == 0 || qp - kp < c.window());
                m[r * span + j] = visible ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(m, group * steps, span);
    }
}
