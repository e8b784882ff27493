package dev.recur.core.kernel.attention;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.parallel.ComputePool;

/**
 * One query token per stream attending to every cached token, read in place from the buffers of
 * {@link CacheLayout} (decoding: the cache is never copied to attend to it). For stream {@code b} and query head
 * {@code h}, reading key/value head {@code g = h / group}:
 * {@code s_j = scale * (q . k_j)}, {@code p_j = exp(s_j - max s) / sum exp(s - max s)}, {@code out = sum_j p_j v_j},
 * over the slots {@code j < length}.
 *
 * <p>Order of operations, shared by both kernels so that they give the same bits: each score is one fma chain over
 * the dimensions in order, then multiplied by the scale; the exponentials are summed in token order; each output
 * dimension is one fma chain over the tokens in order of {@code p_j} times the value. The (stream, head) pairs
 * split over the compute pool, each computed alone, so the result does not depend on the thread count.
 */
public final class CachedAttention {
    /** Below this many multiply-adds in all, one thread does everything. */
    private static final long PARALLEL_WORK = 64 * 1024;

    private CachedAttention() {}

    /**
     * @param q      queries {@code [batch, heads, headDim]}
     * @param heads  query heads, a multiple of {@code layout.kvHeads()}
     * @param keys   the cache's keys in {@code layout}
     * @param values the cache's values in {@code layout}
     * @param length tokens in the cache, {@code 1 .. capacity}
     * @param scale  the factor on every score
     * @param out    the attended values {@code [batch, heads, headDim]}, overwritten
     */
    public static void attend(float[] q, int heads, CacheLayout layout, float[] keys, float[] values, int length,
                              float scale, float[] out) {
        int headDim = layout.headDim();
        int batch = layout.batch();
        if (heads <= 0 || heads % layout.kvHeads() != 0) {
            throw new RecurException("cached attention: heads must be a positive multiple of kvHeads "
                    + layout.kvHeads() + ", got " + heads);
        }
        if (length < 1 || length > layout.capacity()) {
            throw new RecurException("cached attention: length must be in [1, " + layout.capacity() + "], got "
                    + length);
        }
        long qSize = (long) batch * heads * headDim;
        if (q.length < qSize || out.length < qSize || keys.length < layout.size() || values.length < layout.size()) {
            throw new RecurException("cached attention: arrays too small for " + layout + " and " + heads
                    + " heads: q " + q.length + ", out " + out.length + ", keys " + keys.length + ", values "
                    + values.length);
        }
        boolean vector = KernelMode.current() == KernelMode.VECTOR;
        int pairs = batch * heads;
        ComputePool.RangeBody body = (from, to) -> {
            float[] scores = new float[length];
            for (int pair = from; pair < to; pair++) {
                int b = pair / heads;
                int h = pair % heads;
                int row = b * layout.kvHeads() + h / (heads / layout.kvHeads());
                int at = pair * headDim;
                if (vector) {
                    CachedAttentionVector.head(q, at, layout, row, keys, values, length, scale, scores, out);
                } else {
                    CachedAttentionReference.head(q, at, layout, row, keys, values, length, scale, scores, out);
                }
            }
        };
        if ((long) pairs * length * headDim * 2 < PARALLEL_WORK || pairs == 1) {
            body.run(0, pairs);
        } else {
            ComputePool.shared().forRanges(pairs, 1, body);
        }
    }

    /** {@code exp(s_j - max)} into {@code scores} and their sum in token order; both kernels share it. */
    static float softmaxNumerators(float[] scores, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            max = Math.max(max, scores[j]);
        }
        float sum = 0f;
        for (int j = 0; j < length; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        return sum;
    }
}
