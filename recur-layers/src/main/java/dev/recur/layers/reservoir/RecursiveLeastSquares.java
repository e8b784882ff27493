package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;

/**
 * Recursive least squares with a forgetting factor, for fitting a linear readout {@code y = W z} online, one
 * sample at a time (Haykin, "Adaptive Filter Theory", ch. 10; Lukoševičius 2012, section 4.4): with
 * {@code P(0) = I / delta} and {@code W(0) = 0}, each sample {@code (z, y)} does
 * <pre>
 *   k = P z / (lambda + z^T P z),   W += (y - W z) k^T,   P = (P - k z^T P) / lambda.
 * </pre>
 * It minimises {@code sum_n lambda^(n_last - n) ||y(n) - W z(n)||^2 + lambda^n_last delta ||W||^2}; with
 * {@code lambda = 1} that is ridge regression with ridge {@code delta}. All arithmetic is in double.
 */
public final class RecursiveLeastSquares {
    private final int features;
    private final int outputs;
    private final double forgetting;
    private final double[] p; // [F, F]
    private final double[] w; // [O, F]
    private final double[] pz;
    private long samples;

    /**
     * @param features   length of {@code z}
     * @param outputs    length of {@code y}
     * @param forgetting {@code lambda} in {@code (0, 1]}; 1 never forgets
     * @param delta      initial regularisation, {@code P(0) = I / delta}, {@code > 0}
     */
    public RecursiveLeastSquares(int features, int outputs, double forgetting, double delta) {
        if (features <= 0 || outputs <= 0 || (long) features * features > Integer.MAX_VALUE) {
            throw new RecurException("RecursiveLeastSquares: expected 0 < features (at most 46340) and outputs > 0,"
                    + " got " + features + " and " + outputs);
        }
        if (!(forgetting > 0 && forgetting <= 1)) {
            throw new RecurException("RecursiveLeastSquares.forgetting: must be in (0, 1], got " + forgetting);
        }
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new RecurException("RecursiveLeastSquares.delta: must be finite and > 0, got " + delta);
        }
        this.features = features;
        this.outputs = outputs;
        this.forgetting = forgetting;
        this.p = new double[features * features];
        for (int i = 0; i < features; i++) {
            p[i * features + i] = 1 / delta;
        }
        this.w = new double[outputs * features];
        this.pz = new double[features];
    }

    /** Folds in one sample: features {@code z [F]} and target {@code y [O]}. */
    public void update(double[] z, double[] y) {
        if (z == null || y == null || z.length != features || y.length != outputs) {
            throw new RecurException("RecursiveLeastSquares.update: expected z [" + features + "] and y [" + outputs
                    + "], got " + (z == null ? "null" : z.length) + " and " + (y == null ? "null" : y.length));
        }
        int f = features;
        double denom = forgetting;
        for (int i = 0; i < f; i++) {
            double s = 0;
            for (int j = 0; j < f; j++) {
                s += p[i * f + j] * z[j];
            }
            pz[i] = s;
            denom += z[i] * s;
        }
        for (int o = 0; o < outputs; o++) {
            double pred = 0;
            for (int j = 0; j < f; j++) {
                pred += w[o * f + j] * z[j];
            }
            double e = (y[o] - pred) / denom;
            for (int j = 0; j < f; j++) {
                w[o * f + j] += e * pz[j];
            }
        }
        // P is symmetric, so z^T P = (P z)^T and the update is a symmetric rank-one downdate.
        double inv = 1 / forgetting;
        for (int i = 0; i < f; i++) {
            double ki = pz[i] / denom;
            for (int j = 0; j < f; j++) {
                p[i * f + j] = (p[i * f + j] - ki * pz[j]) * inv;
            }
        }
        samples++;
    }

    /** A copy of the current weights {@code W [O, F]}, row-major. */
    public double[] weights() {
        return w.clone();
    }

    public long samples() {
        return samples;
    }

    public int features() {
        return features;
    }

    public int outputs() {
        return outputs;
    }
}
