package dev.recur.layers.reservoir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Power iteration against matrices whose spectral radius is known in closed form: a non-normal triangular
 * matrix (eigenvalues on the diagonal), rotation blocks (a dominant complex pair, where the iterate never
 * settles), a dominant {@code ±r} pair, and a nilpotent matrix; then a generated reservoir against its target.
 */
class SparseMatrixTest {

    /** Builds a CSR matrix from dense entries, dropping zeros. */
    static SparseMatrix fromDense(double[][] a) {
        int n = a.length;
        int[] indptr = new int[n + 1];
        List<Integer> idx = new ArrayList<>();
        List<Float> val = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (a[i][j] != 0) {
                    idx.add(j);
                    val.add((float) a[i][j]);
                }
            }
            indptr[i + 1] = idx.size();
        }
        int[] indices = idx.stream().mapToInt(Integer::intValue).toArray();
        float[] values = new float[val.size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = val.get(k);
        }
        return new SparseMatrix(n, indptr, indices, values);
    }

    @Test
    void triangularMatrixRadiusIsLargestDiagonalMagnitude() {
        int n = 60;
        Rng rng = new Rng(1);
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 0.5 * (2 * rng.nextDouble() - 1);
            for (int j = i + 1; j < n; j++) {
                if (rng.nextDouble() < 0.2) {
                    a[i][j] = 2 * rng.nextDouble() - 1;
                }
            }
        }
        a[37][37] = -0.875; // exactly representable in float
        assertThat(fromDense(a).spectralRadius(new Rng(2))).isCloseTo(0.875, offset(1e-3));
    }

    @Test
    void rotationBlocksGiveTheModulusOfTheComplexPair() {
        int n = 40;
        double[][] a = new double[n][n];
        int[] perm = permutation(n, new Rng(3));
        for (int blk = 0; blk < n / 2; blk++) {
            double r = blk == 7 ? 1.25 : 0.75;
            double theta = 0.3 + blk;
            int p = perm[2 * blk];
            int q = perm[2 * blk + 1];
            a[p][p] = r * Math.cos(theta);
            a[p][q] = -r * Math.sin(theta);
            a[q][p] = r * Math.sin(theta);
            a[q][q] = r * Math.cos(theta);
        }
        assertThat(fromDense(a).spectralRadius(new Rng(4))).isCloseTo(1.25, offset(1e-3));
    }

    @Test
    void oppositeDominantEigenvaluesGiveTheirModulus() {
        double[][] a = new double[10][10];
        for (int i = 0; i < 10; i++) {
            a[i][i] = 0.1 * i - 0.45;
        }
        a[2][2] = 0.8;
        a[6][6] = -0.8;
        a[2][6] = 0.5;
        assertThat(fromDense(a).spectralRadius(new Rng(5))).isCloseTo(0.8, offset(1e-3));
    }

    @Test
    void nilpotentMatrixHasRadiusZero() {
        double[][] a = new double[5][5];
        for (int i = 0; i < 4; i++) {
            a[i][i + 1] = 1;
        }
        assertThat(fromDense(a).spectralRadius(new Rng(6))).isEqualTo(0.0);
    }

    @Test
    void generatedReservoirIsScaledToTheTargetRadius() {
        EsnConfig cfg = EsnConfig.of(2, 300, 1, 7).withSpectralRadius(1.1).withDensity(0.05);
        SparseMatrix w = Reservoir.generate(cfg).weight();
        assertThat(w.nonZeros()).isBetween(3500, 5500);
        // A different start vector and a longer run than the scaling used.
        assertThat(w.spectralRadius(1000, 5000, new Rng(99))).isCloseTo(1.1, offset(1.1 * 0.02));
    }

    @Test
    void malformedCsrIsRejected() {
        assertThatThrownBy(() -> new SparseMatrix(2, new int[] {0, 1, 2}, new int[] {0, 2}, new float[] {1, 1}))
                .isInstanceOf(RecurException.class).hasMessageContaining("column 2");
        assertThatThrownBy(() -> new SparseMatrix(2, new int[] {0, 2, 1}, new int[] {0}, new float[] {1}))
                .isInstanceOf(RecurException.class).hasMessageContaining("indptr");
    }

    private static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
