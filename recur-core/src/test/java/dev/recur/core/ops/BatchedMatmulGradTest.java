package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class BatchedMatmulGradTest {
    /** Per batch, op(a) [m,k] times op(b) [k,n] in double, reading transposed operands by index. */
    static double[] bmmTwin(double[] a, double[] b, int batch, int m, int k, int n, boolean ta, boolean tb) {
        double[] c = new double[batch * m * n];
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int q = 0; q < k; q++) {
                        double av = ta ? a[p * m * k + q * m + i] : a[p * m * k + i * k + q];
                        double bv = tb ? b[p * k * n + j * k + q] : b[p * k * n + q * n + j];
                        s += av * bv;
                    }
                    c[p * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    private static void check(int[] lead, int m, int k, int n, boolean ta, boolean tb) {
        int batch = 1;
        for (int d : lead) {
            batch *= d;
        }
        int[] as = shape(lead, ta ? k : m, ta ? m : k);
        int[] bs = shape(lead, tb ? n : k, tb ? k : n);
        int nb = batch;
        GradCheck.of("bmm " + java.util.Arrays.toString(as) + (ta ? "^T" : "") + " x "
                        + java.util.Arrays.toString(bs) + (tb ? "^T" : ""))
                .check(x -> BatchedMatmul.bmm(x[0], x[1], ta, tb),
                        d -> bmmTwin(d[0], d[1], nb, m, k, n, ta, tb), in(as), in(bs));
    }

    private static int[] shape(int[] lead, int r, int c) {
        int[] s = java.util.Arrays.copyOf(lead, lead.length + 2);
        s[lead.length] = r;
        s[lead.length + 1] = c;
        return s;
    }

    @Test
    void everyTransposeCombination() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(new int[] {2, 3}, 4, 5, 3, ta, tb);
            }
        }
    }

    @Test
    void awkwardSizes() {
        check(new int[] {}, 1, 1, 1, false, false);
        check(new int[] {1}, 1, 7, 1, true, false);
        check(new int[] {2}, 63, 7, 1, false, true);
        check(new int[] {3}, 2, 257, 3, true, true);
    }

    @Test
    void mismatchesAreNamed() {
        assertThatThrownBy(() -> BatchedMatmul.bmm(Tensor.zeros(2, 3, 4), Tensor.zeros(3, 4, 5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("bmm").hasMessageContaining("leading")
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[3, 4, 5]");
        assertThatThrownBy(() -> BatchedMatmul.bmm(Tensor.zeros(2, 3, 4), Tensor.zeros(2, 5, 4)))
                .isInstanceOf(RecurException.class).hasMessageContaining("inner").hasMessageContaining("k=4")
                .hasMessageContaining("k=5");
        assertThatThrownBy(() -> BatchedMatmul.bmm(Tensor.zeros(2, 3, 4), Tensor.zeros(4, 5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("equal rank");
    }
}
