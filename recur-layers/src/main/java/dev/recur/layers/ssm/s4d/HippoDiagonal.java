package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import java.util.Arrays;

/**
 * The complex diagonal initialisations of {@link S4dInit}, computed in double precision.
 *
 * <p>For the HiPPO measures the normal part {@code N = A + sum_r P_r P_r^T = c I + S} (S skew-symmetric) is
 * diagonalised without a complex eigensolver: {@code S^T S} is symmetric positive semi-definite and is
 * diagonalised by cyclic Jacobi rotations; each eigenvalue {@code w^2} comes twice, and for a unit eigenvector
 * {@code q1} the vector {@code q2 = S q1 / w} completes the invariant plane, on which
 * {@code v = (q1 - i q2) / sqrt 2} is the eigenvector of {@code S} for {@code +i w}. Then the mode is
 * {@code A_n = c + i w} and {@code Btilde_n = v^* B = (q1.B + i q2.B) / sqrt 2}; its conjugate partner is implied.
 */
public final class HippoDiagonal {
    /** {@code N/2} complex modes: {@code A = aRe + i aIm}, {@code B = bRe + i bIm}, in ascending frequency. */
    public record Modes(double[] aRe, double[] aIm, double[] bRe, double[] bIm) {}

    private HippoDiagonal() {}

    /** The modes of {@code init} for a real state size {@code stateSize} (even, at least 2). */
    public static Modes modes(S4dInit init, int stateSize) {
        if (stateSize < 2 || stateSize % 2 != 0) {
            throw new RecurException("s4d init: state size must be even and >= 2, got " + stateSize);
        }
        int half = stateSize / 2;
        switch (init) {
            case LIN, INV -> {
                double[] aRe = new double[half];
                double[] aIm = new double[half];
                double[] bRe = new double[half];
                for (int n = 0; n < half; n++) {
                    aRe[n] = -0.5;
                    aIm[n] = init == S4dInit.LIN ? Math.PI * n
                            : stateSize / Math.PI * (stateSize / (2.0 * n + 1) - 1);
                    bRe[n] = 1;
                }
                return new Modes(aRe, aIm, bRe, new double[half]);
            }
            default -> {
                double[][] normal = normalPart(init, stateSize);
                double[] b = inputVector(init, stateSize);
                return diagonalise(normal, b, init == S4dInit.LEGS);
            }
        }
    }

    /** The HiPPO matrix {@code A} of a measure (row-major {@code [N][N]}). */
    static double[][] hippoMatrix(S4dInit init, int n) {
        double[][] a = new double[n][n];
        double[] b = inputVector(init, n);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double r = Math.sqrt((2.0 * i + 1) * (2.0 * k + 1));
                a[i][k] = switch (init) {
                    case LEGS -> i > k ? -r : i == k ? -(i + 1) : 0;
                    case LEGT -> i >= k ? -r : -r * ((i - k) % 2 == 0 ? 1 : -1);
                    case FOUT -> fourierRotation(i, k) - b[i] * b[k];
                    default -> throw new IllegalArgumentException(init.name());
                };
            }
        }
        return a;
    }

    /** The low-rank factors {@code P_r} that make {@code A + sum_r P_r P_r^T} normal. */
    static double[][] lowRank(S4dInit init, int n) {
        return switch (init) {
            case LEGS -> {
                double[] p = new double[n];
                for (int i = 0; i < n; i++) {
                    p[i] = Math.sqrt(i + 0.5);
                }
                yield new double[][] {p};
            }
            case LEGT -> {
                double[] even = new double[n];
                double[] odd = new double[n];
                for (int i = 0; i < n; i++) {
                    (i % 2 == 0 ? even : odd)[i] = Math.sqrt(2.0 * i + 1);
                }
                yield new double[][] {even, odd};
            }
            case FOUT -> new double[][] {inputVector(init, n)};
            default -> throw new IllegalArgumentException(init.name());
        };
    }

    /** {@code A + sum_r P_r P_r^T}. */
    static double[][] normalPart(S4dInit init, int n) {
        double[][] a = hippoMatrix(init, n);
        for (double[] p : lowRank(init, n)) {
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < n; k++) {
                    a[i][k] += p[i] * p[k];
                }
            }
        }
        return a;
    }

    /** The HiPPO input vector {@code B}. */
    static double[] inputVector(S4dInit init, int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = switch (init) {
                case LEGS, LEGT -> Math.sqrt(2.0 * i + 1);
                // Index 2m holds cos(2 pi m t), 2m + 1 holds sin(2 pi m t); the constant has norm 1, the rest sqrt 2.
                case FOUT -> i == 0 ? 1 : i % 2 == 0 ? Math.sqrt(2) : 0;
                default -> 1;
            };
        }
        return b;
    }

    /** The skew-symmetric derivative of the Fourier basis: {@code d/dt cos_m = -w sin_m}, {@code d/dt sin_m = w cos_m}. */
    private static double fourierRotation(int i, int k) {
        if (i / 2 != k / 2 || i == k) {
            return 0;
        }
        double w = 2 * Math.PI * (i / 2);
        return i % 2 == 0 ? -w : w;
    }

    private static Modes diagonalise(double[][] normal, double[] b, boolean keepRealPart) {
        int n = normal.length;
        int half = n / 2;
        double realPart = 0;
        double[][] skew = new double[n][n];
        for (int i = 0; i < n; i++) {
            realPart += normal[i][i] / n;
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                skew[i][k] = 0.5 * (normal[i][k] - normal[k][i]);
            }
        }
        double[][] gram = new double[n][n]; // S^T S
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += skew[j][i] * skew[j][k];
                }
                gram[i][k] = s;
            }
        }
        double[][] vectors = new double[n][n]; // columns are eigenvectors
        double[] values = SymmetricEigen.jacobi(gram, vectors);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
        double scale = Math.max(1e-300, Math.abs(values[order[n - 1]]));
        double[] aRe = new double[half];
        double[] aIm = new double[half];
        double[] bRe = new double[half];
        double[] bIm = new double[half];
        for (int m = 0; m < half; m++) {
            int first = order[2 * m];
            int second = order[2 * m + 1];
            double w = Math.sqrt(Math.max(0, 0.5 * (values[first] + values[second])));
            double[] q1 = column(vectors, first);
            double[] q2;
            if (w * w > 1e-12 * scale) {
                q2 = new double[n];
                for (int i = 0; i < n; i++) {
                    double s = 0;
                    for (int j = 0; j < n; j++) {
                        s += skew[i][j] * q1[j];
                    }
                    q2[i] = s / w;
                }
            } else {
                q2 = column(vectors, second);
            }
            aRe[m] = keepRealPart ? realPart : -0.5;
            aIm[m] = w;
            bRe[m] = dot(q1, b) / Math.sqrt(2);
            bIm[m] = dot(q2, b) / Math.sqrt(2);
        }
        return new Modes(aRe, aIm, bRe, bIm);
    }

    private static double[] column(double[][] m, int j) {
        double[] c = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            c[i] = m[i][j];
        }
        return c;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
