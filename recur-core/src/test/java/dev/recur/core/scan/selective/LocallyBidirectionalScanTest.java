package dev.recur.core.scan.selective;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * LBMamba's scan as a layer composes it, the selective scan plus the local backward scan, against the paper's
 * state written out in double: {@code hL} left to right over the sequence, {@code hR} right to left inside each
 * window, {@code y_t = C_t (hL_t + hR_t - delta_t B_t u_t) + D u_t}; outputs and every gradient.
 */
class LocallyBidirectionalScanTest {
    private static final int B = 2;
    private static final int T = 7;
    private static final int D = 3;
    private static final int N = 2;

    static double[] twin(double[] u, double[] delta, double[] a, double[] b, double[] c, double[] dSkip, int window) {
        double[] y = new double[B * T * D];
        for (int bi = 0; bi < B; bi++) {
            for (int d = 0; d < D; d++) {
                double[][] left = new double[T][N];
                double[][] right = new double[T][N];
                for (int s = 0; s < N; s++) {
                    double h = 0;
                    for (int t = 0; t < T; t++) {
                        int i = (bi * T + t) * D + d;
                        h = Math.exp(delta[i] * a[d * N + s]) * h + delta[i] * b[(bi * T + t) * N + s] * u[i];
                        left[t][s] = h;
                    }
                    for (int t = T - 1; t >= 0; t--) {
                        int i = (bi * T + t) * D + d;
                        boolean windowEnd = t == T - 1 || (t + 1) % window == 0;
                        double next = windowEnd ? 0 : right[t + 1][s];
                        right[t][s] = Math.exp(delta[i] * a[d * N + s]) * next
                                + delta[i] * b[(bi * T + t) * N + s] * u[i];
                    }
                }
                for (int t = 0; t < T; t++) {
                    int i = (bi * T + t) * D + d;
                    double sum = dSkip[d] * u[i];
                    for (int s = 0; s < N; s++) {
                        int r = (bi * T + t) * N + s;
                        sum += c[r] * (left[t][s] + right[t][s] - delta[i] * b[r] * u[i]);
                    }
                    y[i] = sum;
                }
            }
        }
        return y;
    }

    private static void check(String name, SelectiveScanKernel forward, LocalBackwardScanKernel local, int window) {
        GradCheck.of(name + " W=" + window).gradTolerance(2e-4).check(
                x -> Arithmetic.add(
                        SelectiveScan.apply(forward, x[0], x[1], x[2], x[3], x[4], x[5], null, null, false).output(),
                        LocalBackwardScan.apply(local, x[0], x[1], x[2], x[3], x[4], window)),
                d -> twin(d[0], d[1], d[2], d[3], d[4], d[5], window),
                in(B, T, D), in(0.05, 1.0, B, T, D), in(-2.0, -0.1, D, N), in(B, T, N), in(B, T, N), in(D));
    }

    @Test
    void referenceKernelsComposeToThePapersState() {
        for (int window : new int[] {1, 3, 7}) {
            check("reference", new SelectiveScanReference(), new LocalBackwardScanReference(), window);
        }
    }

    @Test
    void vectorKernelsComposeToThePapersState() {
        check("vector", new SelectiveScanVector(), new LocalBackwardScanVector(), 4);
    }
}
