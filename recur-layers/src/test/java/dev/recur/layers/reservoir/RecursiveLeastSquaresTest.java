package dev.recur.layers.reservoir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import org.junit.jupiter.api.Test;

/**
 * RLS without forgetting equals the ridge solution with ridge {@code delta}, computed here by Gauss-Jordan
 * elimination of the normal equations; with forgetting it follows a target whose weights change midway.
 */
class RecursiveLeastSquaresTest {

    @Test
    void withoutForgettingEqualsRidgeRegression() {
        int f = 6;
        int o = 2;
        int samples = 200;
        double delta = 0.5;
        Rng rng = new Rng(1);
        RecursiveLeastSquares rls = new RecursiveLeastSquares(f, o, 1.0, delta);
        double[] ata = new double[f * f];
        double[] aty = new double[f * o];
        for (int s = 0; s < samples; s++) {
            double[] z = new double[f];
            double[] y = new double[o];
            for (int i = 0; i < f; i++) {
                z[i] = rng.nextGaussian();
            }
            for (int k = 0; k < o; k++) {
                y[k] = z[0] - 2 * z[k + 1] + 0.3 * rng.nextGaussian();
            }
            rls.update(z, y);
            for (int i = 0; i < f; i++) {
                for (int j = 0; j < f; j++) {
                    ata[i * f + j] += z[i] * z[j];
                }
                for (int k = 0; k < o; k++) {
                    aty[i * o + k] += z[i] * y[k];
                }
            }
        }
        for (int i = 0; i < f; i++) {
            ata[i * f + i] += delta;
        }
        double[] expected = gaussJordan(ata, aty, f, o); // W^T [F, O]
        double[] w = rls.weights();
        for (int k = 0; k < o; k++) {
            for (int i = 0; i < f; i++) {
                assertThat(w[k * f + i]).isCloseTo(expected[i * o + k], org.assertj.core.data.Offset.offset(1e-8));
            }
        }
        assertThat(rls.samples()).isEqualTo(samples);
    }

    @Test
    void withForgettingTracksAChangedTarget() {
        int f = 3;
        RecursiveLeastSquares rls = new RecursiveLeastSquares(f, 1, 0.95, 1e-3);
        Rng rng = new Rng(2);
        for (int s = 0; s < 600; s++) {
            double[] z = {rng.nextGaussian(), rng.nextGaussian(), 1};
            double y = s < 300 ? 2 * z[0] - z[1] : -z[0] + 3 * z[1] + 0.5;
            rls.update(z, new double[] {y});
        }
        // The first half's weights (2, -1, 0) are forgotten: what is left of them is below 1e-3.
        assertThat(rls.weights()).containsExactly(new double[] {-1, 3, 0.5},
                org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new RecursiveLeastSquares(3, 1, 1.5, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("forgetting");
        RecursiveLeastSquares rls = new RecursiveLeastSquares(3, 1, 1, 1);
        assertThatThrownBy(() -> rls.update(new double[2], new double[1])).isInstanceOf(RecurException.class)
                .hasMessageContaining("z [3]");
    }

    /** Solves {@code A X = B} by Gauss-Jordan elimination with partial pivoting. */
    static double[] gaussJordan(double[] a, double[] b, int n, int m) {
        double[] aa = a.clone();
        double[] bb = b.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(aa[r * n + c]) > Math.abs(aa[piv * n + c])) {
                    piv = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double t = aa[c * n + j];
                aa[c * n + j] = aa[piv * n + j];
                aa[piv * n + j] = t;
            }
            for (int j = 0; j < m; j++) {
                double t = bb[c * m + j];
                bb[c * m + j] = bb[piv * m + j];
                bb[piv * m + j] = t;
            }
            for (int r = 0; r < n; r++) {
                if (r == c) {
                    continue;
                }
                double factor = aa[r * n + c] / aa[c * n + c];
                for (int j = 0; j < n; j++) {
                    aa[r * n + j] -= factor * aa[c * n + j];
                }
                for (int j = 0; j < m; j++) {
                    bb[r * m + j] -= factor * bb[c * m + j];
                }
            }
        }
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < m; j++) {
                bb[r * m + j] /= aa[r * n + r];
            }
        }
        return bb;
    }
}
