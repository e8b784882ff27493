package dev.recur.layers.reservoir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import org.junit.jupiter.api.Test;

/** The Cholesky solve leaves a residual {@code A X - B} at rounding level, and refuses an indefinite matrix. */
class CholeskyTest {

    @Test
    void solvesSymmetricPositiveDefiniteSystems() {
        int n = 37;
        int m = 3;
        Rng rng = new Rng(1);
        double[] g = new double[n * n];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? 0.1 : 0;
                for (int k = 0; k < n; k++) {
                    s += g[i * n + k] * g[j * n + k];
                }
                a[i * n + j] = s;
            }
        }
        double[] b = new double[n * m];
        for (int i = 0; i < b.length; i++) {
            b[i] = rng.nextGaussian();
        }
        double[] x = Cholesky.solve(a, b, n, m);
        double maxResidual = 0;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < m; c++) {
                double s = -b[i * m + c];
                for (int k = 0; k < n; k++) {
                    s += a[i * n + k] * x[k * m + c];
                }
                maxResidual = Math.max(maxResidual, Math.abs(s));
            }
        }
        assertThat(maxResidual).isLessThan(1e-9);
    }

    @Test
    void indefiniteMatrixNamesThePivot() {
        double[] a = {1, 2, 2, 1};
        assertThatThrownBy(() -> Cholesky.solve(a, new double[] {1, 1}, 2, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("not positive definite").hasMessageContaining("pivot 1");
    }
}
