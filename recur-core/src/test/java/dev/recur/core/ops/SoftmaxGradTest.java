package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class SoftmaxGradTest {
    /** Softmax (or log-softmax) in double along the middle axis of [outer, n, inner], straight from the definition. */
    static double[] softmaxTwin(double[] x, int outer, int n, int inner, boolean log) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += Math.exp(x[(o * n + j) * inner + i]);
                }
                for (int j = 0; j < n; j++) {
                    int k = (o * n + j) * inner + i;
                    y[k] = log ? x[k] - Math.log(sum) : Math.exp(x[k]) / sum;
                }
            }
        }
        return y;
    }

    @Test
    void lastAxisOnAwkwardSizes() {
        for (int[] s : new int[][] {{1, 1}, {1, 7}, {63, 7}, {2, 500}, {257, 3}}) {
            GradCheck.of("softmax " + s[0] + "x" + s[1]).check(x -> Softmax.softmax(x[0], -1),
                    d -> softmaxTwin(d[0], s[0], s[1], 1, false), in(-3, 3, s));
            GradCheck.of("logSoftmax " + s[0] + "x" + s[1]).check(x -> Softmax.logSoftmax(x[0], 1),
                    d -> softmaxTwin(d[0], s[0], s[1], 1, true), in(-3, 3, s));
        }
    }

    @Test
    void innerAndOuterAxes() {
        GradCheck.of("softmax axis 1 of [2, 5, 3]").check(x -> Softmax.softmax(x[0], 1),
                d -> softmaxTwin(d[0], 2, 5, 3, false), in(2, 5, 3));
        GradCheck.of("logSoftmax axis 0 of [4, 6]").check(x -> Softmax.logSoftmax(x[0], 0),
                d -> softmaxTwin(d[0], 1, 4, 6, true), in(4, 6));
        GradCheck.of("logSoftmax axis -2 of [3, 7, 2]").check(x -> Softmax.logSoftmax(x[0], -2),
                d -> softmaxTwin(d[0], 3, 7, 2, true), in(3, 7, 2));
    }

    @Test
    void hugeLogitsStayFinite() {
        Tensor x = Tensor.of(new float[] {1000f, 1001f, -1000f}, 3);
        float[] p = Softmax.softmax(x, 0).data();
        float[] lp = Softmax.logSoftmax(x, 0).data();
        double e = Math.exp(-1.0);
        assertThat((double) p[0]).isCloseTo(e / (1 + e), org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) p[1]).isCloseTo(1 / (1 + e), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(p[2]).isZero();
        assertThat((double) lp[1]).isCloseTo(-Math.log1p(e), org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) lp[2]).isCloseTo(-2001 - Math.log1p(e), org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void badAxisAndScalarInputAreNamed() {
        assertThatThrownBy(() -> Softmax.softmax(Tensor.zeros(2, 3), 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("softmax").hasMessageContaining("axis 2");
        assertThatThrownBy(() -> Softmax.logSoftmax(Tensor.scalar(1f), 0))
                .isInstanceOf(RecurException.class).hasMessageContaining("logSoftmax").hasMessageContaining("scalar");
    }
}
