package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class NormsGradTest {
    private static final float EPS = 1e-5f;

    /** RMSNorm in double over rows of length n; w may be null. */
    static double[] rmsTwin(double[] x, double[] w, int n) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / n; r++) {
            double ss = 0;
            for (int i = 0; i < n; i++) {
                ss += x[r * n + i] * x[r * n + i];
            }
            double rs = 1 / Math.sqrt(ss / n + EPS);
            for (int i = 0; i < n; i++) {
                y[r * n + i] = x[r * n + i] * rs * (w == null ? 1 : w[i]);
            }
        }
        return y;
    }

    /** LayerNorm in double with the biased variance; w and b may be null. */
    static double[] layerTwin(double[] x, double[] w, double[] b, int n) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / n; r++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += x[r * n + i] / n;
            }
            double var = 0;
            for (int i = 0; i < n; i++) {
                var += (x[r * n + i] - mean) * (x[r * n + i] - mean) / n;
            }
            double rs = 1 / Math.sqrt(var + EPS);
            for (int i = 0; i < n; i++) {
                y[r * n + i] = (x[r * n + i] - mean) * rs * (w == null ? 1 : w[i]) + (b == null ? 0 : b[i]);
            }
        }
        return y;
    }

    @Test
    void rmsNormOnAwkwardSizes() {
        // d = 1 is left to the kernel test: there y = x / sqrt(x^2 + eps), whose tiny derivative float cannot resolve.
        for (int[] s : new int[][] {{1, 7}, {63, 7}, {2, 500}, {257, 3}}) {
            int n = s[1];
            GradCheck.of("rmsNorm " + s[0] + "x" + n).check(x -> Norms.rmsNorm(x[0], x[1], EPS),
                    d -> rmsTwin(d[0], d[1], n), in(-2, 2, s), in(0.5, 1.5, n));
            GradCheck.of("rmsNorm without weight " + s[0] + "x" + n).check(x -> Norms.rmsNorm(x[0], null, EPS),
                    d -> rmsTwin(d[0], null, n), in(-2, 2, s));
        }
    }

    @Test
    void layerNormOnAwkwardSizes() {
        for (int[] s : new int[][] {{1, 7}, {63, 7}, {2, 500}, {2, 3, 5}}) {
            int n = s[s.length - 1];
            GradCheck.of("layerNorm " + n).check(x -> Norms.layerNorm(x[0], x[1], x[2], EPS),
                    d -> layerTwin(d[0], d[1], d[2], n), in(-2, 3, s), in(0.5, 1.5, n), in(n));
            GradCheck.of("layerNorm without affine " + n).check(x -> Norms.layerNorm(x[0], null, null, EPS),
                    d -> layerTwin(d[0], null, null, n), in(-2, 3, s));
            GradCheck.of("layerNorm weight only " + n).check(x -> Norms.layerNorm(x[0], x[1], null, EPS),
                    d -> layerTwin(d[0], d[1], null, n), in(-2, 3, s), in(0.5, 1.5, n));
        }
    }

    @Test
    void badShapesAndEpsAreNamed() {
        assertThatThrownBy(() -> Norms.rmsNorm(Tensor.zeros(2, 4), Tensor.zeros(5), EPS))
                .isInstanceOf(RecurException.class).hasMessageContaining("rmsNorm").hasMessageContaining("weight")
                .hasMessageContaining("[4]").hasMessageContaining("[5]");
        assertThatThrownBy(() -> Norms.layerNorm(Tensor.zeros(2, 4), null, Tensor.zeros(4, 1), EPS))
                .isInstanceOf(RecurException.class).hasMessageContaining("layerNorm").hasMessageContaining("bias");
        assertThatThrownBy(() -> Norms.layerNorm(Tensor.zeros(2, 4), null, null, -1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("eps").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> Norms.rmsNorm(Tensor.zeros(2, 0), null, EPS))
                .isInstanceOf(RecurException.class).hasMessageContaining("rmsNorm").hasMessageContaining("[2, 0]");
    }
}
