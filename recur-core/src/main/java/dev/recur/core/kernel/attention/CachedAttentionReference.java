package dev.recur.core.kernel.attention;

/** The scalar twin of {@link CachedAttentionVector}: plain loops, the same operations in the same order. */
final class CachedAttentionReference {
    private CachedAttentionReference() {}

    /** One (stream, head) pair: query at {@code q[at ..]}, cache row {@code row}, result at {@code out[at ..]}. */
    static void head(float[] q, int at, CacheLayout layout, int row, float[] keys, float[] values, int length,
                     float scale, float[] scores, float[] out) {
        int headDim = layout.headDim();
        for (int j = 0; j < length; j++) {
            float s = 0f;
            for (int d = 0; d < headDim; d++) {
                s = Math.fma(q[at + d], keys[layout.key(row, d, j)], s);
            }
            scores[j] = s * scale;
        }
        float inv = 1f / CachedAttention.softmaxNumerators(scores, length);
        for (int d = 0; d < headDim; d++) {
            float acc = 0f;
            for (int j = 0; j < length; j++) {
                acc = Math.fma(scores[j] * inv, values[layout.value(row, j) + d], acc);
            }
            out[at + d] = acc;
        }
    }
}
