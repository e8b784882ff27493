package dev.recur.core.kernel.attention;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel of {@link CachedAttention}. Scores: lanes are consecutive tokens, and each step of the loop over
 * dimensions broadcasts one query value against a vector of the transposed keys (a block of four vectors of tokens
 * at a time, contiguous in memory),
 * so a lane's sum is the reference's fma chain. Output: lanes are dimensions, and each token adds its weighted
 * value row. Every vector stays inside the method that loads it.
 */
final class CachedAttentionVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private CachedAttentionVector() {}

    /** One (stream, head) pair: query at {@code q[at ..]}, cache row {@code row}, result at {@code out[at ..]}. */
    static void head(float[] q, int at, CacheLayout layout, int row, float[] keys, float[] values, int length,
                     float scale, float[] scores, float[] out) {
        scores(q, at, layout, row, keys, length, scale, scores);
        float inv = 1f / CachedAttention.softmaxNumerators(scores, length);
        for (int j = 0; j < length; j++) {
            scores[j] *= inv;
        }
        weightedValues(layout, row, values, length, scores, out, at);
    }

    /** {@code scores[j] = scale * (q . k_j)} for {@code j < length}. */
    private static void scores(float[] q, int at, CacheLayout layout, int row, float[] keys, int length,
                               float scale, float[] scores) {
        int headDim = layout.headDim();
        int block = CacheLayout.BLOCK; // four vectors: a whole block of tokens per pass
        int j = 0;
        for (; j + block <= length; j += block) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            for (int d = 0, k = layout.key(row, 0, j); d < headDim; d++, k += block) {
                FloatVector x = FloatVector.broadcast(S, q[at + d]);
                s0 = x.fma(FloatVector.fromArray(S, keys, k), s0);
                s1 = x.fma(FloatVector.fromArray(S, keys, k + L), s1);
                s2 = x.fma(FloatVector.fromArray(S, keys, k + 2 * L), s2);
                s3 = x.fma(FloatVector.fromArray(S, keys, k + 3 * L), s3);
            }
            s0.mul(scale).intoArray(scores, j);
            s1.mul(scale).intoArray(scores, j + L);
            s2.mul(scale).intoArray(scores, j + 2 * L);
            s3.mul(scale).intoArray(scores, j + 3 * L);
        }
        // The last, partial block: single vectors, then token by token.
        for (; j + L <= length; j += L) {
            FloatVector s = FloatVector.zero(S);
            for (int d = 0, k = layout.key(row, 0, j); d < headDim; d++, k += block) {
                s = FloatVector.broadcast(S, q[at + d]).fma(FloatVector.fromArray(S, keys, k), s);
            }
            s.mul(scale).intoArray(scores, j);
        }
        for (; j < length; j++) {
            float s = 0f;
            for (int d = 0, k = layout.key(row, 0, j); d < headDim; d++, k += block) {
                s = Math.fma(q[at + d], keys[k], s);
            }
            scores[j] = s * scale;
        }
    }

    /** {@code out[at + d] = sum_j p_j v_j[d]}, the weights {@code p} in {@code scores}. */
    private static void weightedValues(CacheLayout layout, int row, float[] values, int length, float[] p,
                                       float[] out, int at) {
        int headDim = layout.headDim();
        int base = layout.value(row, 0);
        int d = 0;
        for (; d + 2 * L <= headDim; d += 2 * L) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            for (int j = 0, v = base + d; j < length; j++, v += headDim) {
                FloatVector w = FloatVector.broadcast(S, p[j]);
                a0 = w.fma(FloatVector.fromArray(S, values, v), a0);
                a1 = w.fma(FloatVector.fromArray(S, values, v + L), a1);
            }
            a0.intoArray(out, at + d);
            a1.intoArray(out, at + d + L);
        }
        for (; d + L <= headDim; d += L) {
            FloatVector a = FloatVector.zero(S);
            for (int j = 0, v = base + d; j < length; j++, v += headDim) {
                a = FloatVector.broadcast(S, p[j]).fma(FloatVector.fromArray(S, values, v), a);
            }
            a.intoArray(out, at + d);
        }
        for (; d < headDim; d++) {
            float acc = 0f;
            for (int j = 0, v = base + d; j < length; j++, v += headDim) {
                acc = Math.fma(p[j], values[v], acc);
            }
            out[at + d] = acc;
        }
    }
}
