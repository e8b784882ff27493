package dev.recur.layers.rat;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.BatchedMatmul;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.ops.Softmax;
import dev.recur.core.scan.diagonal.DiagonalScan;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * RAT's sequence mixer (Wei et al. 2025): a gated linear recurrence inside chunks of {@code L} tokens, softmax
 * attention across chunks. For token {@code t} in chunk {@code c} (positions {@code cL .. cL + L - 1}), with
 * forget gate {@code f_t} in (0, 1) per channel:
 * <pre>
 *   k~_t = f_t * k~_{t-1} + (1 - f_t) * k_t        v~_t = f_t * v~_{t-1} + (1 - f_t) * v_t
 *   (k~, v~ restart from 0 at every chunk start)
 *   o_t = softmax_j(q_t . K_j / sqrt(headDim)) V_j  over  K = [k~ at the end of chunks 0 .. c-1, k~_t],
 *                                                         V = [v~ at the end of chunks 0 .. c-1, v~_t]
 * </pre>
 * per head. With {@code L = 1} this is causal softmax attention over keys {@code (1 - f) k} and values
 * {@code (1 - f) v}; with {@code L >= T} each query sees only its own state and {@code o_t = v~_t}. Built from
 * autograd ops and {@link DiagonalScan}; the own-state score is computed element-wise so the work is
 * {@code O(T * T / L)}, not {@code O(T^2)}.
 */
public final class RatMixer {
    /** The mixed values {@code [B, T, heads * headDim]} and the state after the chunk. */
    public record Result(Tensor output, RatState state) {}

    private RatMixer() {}

    /**
     * Mixes queries, keys, values and forget gates, all {@code [B, T, heads * headDim]}, continuing from
     * {@code state} (null: the start of the stream).
     */
    public static Result forward(RatConfig c, Tensor q, Tensor k, Tensor v, Tensor forget, RatState state) {
        int e = c.innerDim();
        if (q == null || k == null || v == null || forget == null) {
            throw new RecurException("rat: q, k, v and forget are required");
        }
        if (q.rank() != 3 || q.dim(1) == 0 || q.dim(2) != e) {
            throw new RecurException("rat: expected q [B, T, " + e + "] with T >= 1, got " + Shapes.format(q.shape()));
        }
        int batch = q.dim(0);
        int steps = q.dim(1);
        Shapes.require("rat", "k (same as q)", q.shape(), k.shape());
        Shapes.require("rat", "v (same as q)", q.shape(), v.shape());
        Shapes.require("rat", "forget (same as q)", q.shape(), forget.shape());
        RatState past = state == null ? RatState.initial(c, batch) : state;
        past.check(c, batch, "rat");
        long start = past.position();
        int offset = (int) (start % c.chunkLen());

        // One scan over keys' and values' channels side by side: [B, T, 2E].
        Tensor gate = Reshaping.concat(2, forget, forget);
        Tensor a = Arithmetic.mul(gate, chunkStartMask(steps, offset, c.chunkLen()));
        Tensor b = Arithmetic.mul(Arithmetic.add(Arithmetic.neg(gate), 1f), Reshaping.concat(2, k, v));
        ScanOutput scan = DiagonalScan.apply(a, b, past.running());
        Tensor kh = heads(Reshaping.slice(scan.output(), 2, 0, e), c); // [B, H, T, hd]
        Tensor vh = heads(Reshaping.slice(scan.output(), 2, e, 2 * e), c);
        Tensor qh = heads(q, c);

        // Chunks completed inside this call end at t = firstEnd, firstEnd + L, ...
        int firstEnd = c.chunkLen() - 1 - offset;
        int ended = firstEnd < steps ? (steps - 1 - firstEnd) / c.chunkLen() + 1 : 0;
        Tensor keys = past.chunkKeys();
        Tensor values = past.chunkValues();
        if (ended > 0) {
            int to = firstEnd + (ended - 1) * c.chunkLen() + 1;
            Tensor newKeys = Reshaping.slice(kh, 2, firstEnd, to, c.chunkLen());
            Tensor newValues = Reshaping.slice(vh, 2, firstEnd, to, c.chunkLen());
            keys = keys.dim(2) == 0 ? newKeys : Reshaping.concat(2, keys, newKeys);
            values = values.dim(2) == 0 ? newValues : Reshaping.concat(2, values, newValues);
        }
        int cached = past.chunks();
        int total = keys.dim(2);
        float scale = (float) (1.0 / Math.sqrt(c.headDim()));

        Tensor out;
        if (total == 0) {
            // No completed chunk yet: the only key is the query's own state, whose weight is 1.
            out = vh;
        } else {
            Tensor own = Arithmetic.mul(Reductions.sum(Arithmetic.mul(qh, kh), 3, true), scale); // [B, H, T, 1]
            Tensor scores = Arithmetic.mul(BatchedMatmul.bmm(qh, keys, false, true), scale); // [B, H, T, C]
            scores = Arithmetic.add(scores, chunkMask(steps, cached, ended, firstEnd, c.chunkLen()));
            Tensor probs = Softmax.softmax(Reshaping.concat(3, scores, own), 3); // [B, H, T, C + 1]
            Tensor acrossChunks = BatchedMatmul.bmm(Reshaping.slice(probs, 3, 0, total), values);
            out = Arithmetic.add(acrossChunks, Arithmetic.mul(Reshaping.slice(probs, 3, total, total + 1), vh));
        }
        out = Reshaping.permute(out, 0, 2, 1, 3); // [B, T, H, hd]
        out = Reshaping.reshape(out, batch, steps, e);
        return new Result(out, new RatState(keys, values, scan.state(), start + steps));
    }

    /** {@code [1, T, 1]}: 0 where a token starts a chunk (the recurrence restarts), 1 elsewhere. */
    private static Tensor chunkStartMask(int steps, int offset, int chunkLen) {
        float[] m = new float[steps];
        for (int t = 0; t < steps; t++) {
            m[t] = (offset + t) % chunkLen == 0 ? 0f : 1f;
        }
        return Tensor.of(m, 1, steps, 1);
    }

    /**
     * The additive mask {@code [T, C]} over chunk keys: the {@code cached} ones from earlier calls are all
     * visible; the one of chunk {@code i} completed here (ending at {@code firstEnd + i L}) is visible to later
     * tokens only, since a token in that chunk sees its own running state instead.
     */
    private static Tensor chunkMask(int steps, int cached, int ended, int firstEnd, int chunkLen) {
        int total = cached + ended;
        float[] m = new float[steps * total];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < ended; i++) {
                m[t * total + cached + i] = firstEnd + (long) i * chunkLen < t ? 0f : Float.NEGATIVE_INFINITY;
            }
        }
        return Tensor.of(m, steps, total);
    }

    /** {@code x [B, T, H * hd]} -> {@code [B, H, T, hd]}. */
    private static Tensor heads(Tensor x, RatConfig c) {
        Tensor split = Reshaping.reshape(x, x.dim(0), x.dim(1), c.heads(), c.headDim());
        return Reshaping.permute(split, 0, 2, 1, 3);
    }
}
