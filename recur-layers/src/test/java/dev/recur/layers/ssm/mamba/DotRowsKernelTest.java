package dev.recur.layers.ssm.mamba;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@link DotRowsVector} equals {@link DotRowsReference} on awkward sizes (only the summation order differs). */
class DotRowsKernelTest {
    @Test
    void vectorEqualsReferenceOnAwkwardSizes() {
        Rng rng = new Rng(3);
        for (int rows : new int[] {1, 3, 4}) {
            for (int in : new int[] {1, 7, 16, 63, 257, 500}) {
                for (int out : new int[] {1, 5, 33}) {
                    float[] x = Tensor.randn(rng, 1f, rows, in).data();
                    float[] w = Tensor.randn(rng, 1f, out, in).data();
                    float[] expected = new float[rows * out];
                    float[] actual = new float[rows * out];
                    DotRowsReference.multiply(x, rows, in, w, out, expected);
                    DotRowsVector.multiply(x, rows, in, w, out, actual);
                    for (int i = 0; i < expected.length; i++) {
                        // a sum of `in` products of unit normals: rounding grows with sqrt(in) * |terms|
                        assertThat((double) actual[i]).as("rows %d in %d out %d element %d", rows, in, out, i)
                                .isCloseTo(expected[i], org.assertj.core.api.Assertions.within(1e-5 * in));
                    }
                }
            }
        }
    }
}
