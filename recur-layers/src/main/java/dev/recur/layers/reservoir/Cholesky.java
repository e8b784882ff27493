package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;

/** Solves symmetric positive definite systems {@code A X = B} in double by the Cholesky factorisation A = L L^T. */
public final class Cholesky {
    private Cholesky() {}

    /**
     * Returns {@code X [n, m]} with {@code A X = B}, for {@code A [n, n]} symmetric positive definite (only its
     * lower triangle is read) and {@code B [n, m]}, all row-major. Fails naming the pivot when {@code A} is not
     * positive definite.
     */
    public static double[] solve(double[] a, double[] b, int n, int m) {
        if (a == null || b == null || a.length != (long) n * n || b.length != (long) n * m) {
            throw new RecurException("Cholesky.solve: expected A [" + n + ", " + n + "] and B [" + n + ", " + m
                    + "], got " + (a == null ? "null" : a.length) + " and " + (b == null ? "null" : b.length)
                    + " values");
        }
        double[] l = new double[n * n]; // lower triangle of L
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i * n + k] * l[j * n + k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new RecurException("Cholesky.solve: the matrix is not positive definite (pivot " + i
                                + " is " + s + "); increase the ridge");
                    }
                    l[i * n + i] = Math.sqrt(s);
                } else {
                    l[i * n + j] = s / l[j * n + j];
                }
            }
        }
        double[] x = b.clone();
        for (int c = 0; c < m; c++) {
            // Forward substitution L y = b, then back substitution L^T x = y, in place in column c.
            for (int i = 0; i < n; i++) {
                double s = x[i * m + c];
                for (int k = 0; k < i; k++) {
                    s -= l[i * n + k] * x[k * m + c];
                }
                x[i * m + c] = s / l[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double s = x[i * m + c];
                for (int k = i + 1; k < n; k++) {
                    s -= l[k * n + i] * x[k * m + c];
                }
                x[i * m + c] = s / l[i * n + i];
            }
        }
        return x;
    }
}
