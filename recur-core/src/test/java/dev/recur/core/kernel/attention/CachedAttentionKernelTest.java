package dev.recur.core.kernel.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CachedAttentionVector} against {@link CachedAttentionReference} (the same bits: the same operations in the
 * same order) and both against softmax attention written out in double precision, on awkward sizes: cache lengths
 * around the vector blocks (1, 7, 63, 257, 500), head sizes with tails (7, 64, 100), grouped heads, spare capacity.
 */
class CachedAttentionKernelTest {
    @ParameterizedTest(name = "B={0} H={1} G={2} hd={3} len={4} cap={5}")
    @CsvSource({
        "1, 1, 1, 64, 1, 1", "2, 4, 2, 7, 7, 9", "1, 3, 1, 100, 63, 64", "2, 2, 2, 64, 257, 300",
        "1, 6, 3, 33, 500, 512", "3, 2, 1, 16, 64, 64", "1, 1, 1, 1, 129, 200",
    })
    void vectorEqualsReferenceAndDoubleSoftmax(int batch, int heads, int kvHeads, int headDim, int length,
                                               int capacity) {
        SplittableRandom rng = new SplittableRandom(batch * 7919L + heads * 31L + headDim * 17L + length);
        CacheLayout layout = new CacheLayout(batch, kvHeads, headDim, capacity);
        float[] q = random(rng, batch * heads * headDim);
        float[] keys = random(rng, (int) layout.size());
        float[] values = random(rng, (int) layout.size());
        float scale = (float) (1 / Math.sqrt(headDim));
        int group = heads / kvHeads;
        float[] vector = new float[batch * heads * headDim];
        float[] reference = new float[vector.length];
        float[] scores = new float[length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int at = (b * heads + h) * headDim;
                int row = b * kvHeads + h / group;
                CachedAttentionVector.head(q, at, layout, row, keys, values, length, scale, scores, vector);
                CachedAttentionReference.head(q, at, layout, row, keys, values, length, scale, scores, reference);
            }
        }
        assertThat(vector).containsExactly(reference);
        float[] viaEntry = new float[vector.length];
        CachedAttention.attend(q, heads, layout, keys, values, length, scale, viaEntry);
        assertThat(viaEntry).containsExactly(vector);

        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                int at = (b * heads + h) * headDim;
                int row = b * kvHeads + h / group;
                double[] expected = softmaxAttention(q, at, layout, row, keys, values, length, scale);
                for (int d = 0; d < headDim; d++) {
                    assertThat((double) vector[at + d]).as("b=%d h=%d d=%d", b, h, d)
                            .isCloseTo(expected[d], Offset.offset(2e-6));
                }
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        CacheLayout layout = new CacheLayout(1, 2, 4, 8);
        float[] buffer = new float[(int) layout.size()];
        assertThatThrownBy(() -> CachedAttention.attend(new float[12], 3, layout, buffer, buffer, 4, 1f,
                new float[12])).isInstanceOf(RecurException.class).hasMessageContaining("multiple of kvHeads 2");
        assertThatThrownBy(() -> CachedAttention.attend(new float[8], 2, layout, buffer, buffer, 9, 1f,
                new float[8])).isInstanceOf(RecurException.class).hasMessageContaining("length must be in [1, 8]");
        assertThatThrownBy(() -> CachedAttention.attend(new float[7], 2, layout, buffer, buffer, 3, 1f,
                new float[8])).isInstanceOf(RecurException.class).hasMessageContaining("q 7");
    }

    /** Softmax attention of one head in double, reading the cache through the layout's index functions. */
    private static double[] softmaxAttention(float[] q, int at, CacheLayout layout, int row, float[] keys,
                                             float[] values, int length, float scale) {
        int headDim = layout.headDim();
        double[] s = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            for (int d = 0; d < headDim; d++) {
                s[j] += (double) q[at + d] * keys[layout.key(row, d, j)];
            }
            s[j] *= scale;
            max = Math.max(max, s[j]);
        }
        double sum = 0;
        for (int j = 0; j < length; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
        }
        double[] out = new double[headDim];
        for (int j = 0; j < length; j++) {
            for (int d = 0; d < headDim; d++) {
                out[d] += s[j] / sum * values[layout.value(row, j) + d];
            }
        }
        return out;
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}
