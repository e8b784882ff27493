package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** {@link Linear} against a double-precision twin and central differences, with and without a bias. */
class LinearGradTest {
    /** y[r, j] = sum_p x[r, p] w[j, p] (+ b[j]), in double. */
    static double[] twin(double[] x, double[] w, double[] b, int rows, int in, int out) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < out; j++) {
                double s = b == null ? 0 : b[j];
                for (int p = 0; p < in; p++) {
                    s += x[r * in + p] * w[j * in + p];
                }
                y[r * out + j] = s;
            }
        }
        return y;
    }

    @Test
    void linearWithBiasMatchesTwinAndFiniteDifferences() {
        for (int[] s : new int[][] {{1, 1, 1}, {2, 3, 7, 5}, {63, 9, 1}, {4, 257, 3}}) {
            int in = s[s.length - 2];
            int out = s[s.length - 1];
            int[] xShape = java.util.Arrays.copyOf(s, s.length - 1);
            int rows = 1;
            for (int i = 0; i < xShape.length - 1; i++) {
                rows *= xShape[i];
            }
            int n = rows;
            GradCheck.of("linear " + java.util.Arrays.toString(s)).check(
                    x -> Linear.apply(x[0], x[1], x[2]),
                    d -> twin(d[0], d[1], d[2], n, in, out), in(xShape), in(out, in), in(out));
        }
    }

    @Test
    void linearWithoutBiasMatchesTwinAndFiniteDifferences() {
        GradCheck.of("linear no bias").check(x -> Linear.apply(x[0], x[1], null),
                d -> twin(d[0], d[1], null, 6, 7, 5), in(2, 3, 7), in(5, 7));
    }

    @Test
    void mismatchedSizesNameTheOpAndBothShapes() {
        assertThatThrownBy(() -> Linear.apply(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("linear")
                .hasMessageContaining("[2, 3]").hasMessageContaining("[4, 5]");
        assertThatThrownBy(() -> Linear.apply(Tensor.zeros(2, 3), Tensor.zeros(4, 3), Tensor.zeros(5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("bias");
    }
}
