package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class MatmulGradTest {
    /** Plain triple loop in double: a [m,k] times b [k,n]. */
    static double[] matmulTwin(double[] a, double[] b, int m, int k, int n) {
        double[] y = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                y[i * n + j] = s;
            }
        }
        return y;
    }

    @Test
    void matmulMatchesDoubleTwinAndFiniteDifferences() {
        GradCheck.of("matmul").check(x -> Matmul.matmul(x[0], x[1]),
                d -> matmulTwin(d[0], d[1], 2 * 3, 7, 5), in(2, 3, 7), in(7, 5));
    }

    @Test
    void matmulOnAwkwardSizes() {
        for (int[] s : new int[][] {{1, 1, 1}, {63, 7, 1}, {5, 257, 3}}) {
            GradCheck.of("matmul " + s[0] + "x" + s[1] + "x" + s[2]).check(x -> Matmul.matmul(x[0], x[1]),
                    d -> matmulTwin(d[0], d[1], s[0], s[1], s[2]), in(s[0], s[1]), in(s[1], s[2]));
        }
    }

    @Test
    void mismatchedInnerSizesNameTheOpAndBothShapes() {
        assertThatThrownBy(() -> Matmul.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("matmul")
                .hasMessageContaining("[2, 3]")
                .hasMessageContaining("[4, 5]");
    }
}
