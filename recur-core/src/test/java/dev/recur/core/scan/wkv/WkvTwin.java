package dev.recur.core.scan.wkv;

/**
 * A double-precision twin of the WKV recurrence, written from the paper's stable form with plain loops; it returns
 * the output {@code [B, T, D]} followed by the final numerator, denominator and maximum exponent {@code [B, D]}.
 */
final class WkvTwin {
    private WkvTwin() {}

    /** Flat outputs: index 0 the sequence, 1..3 the final state. */
    static double[][] run(int batch, int steps, int channels, double[] w, double[] u, double[] k, double[] v,
                          double[] a0, double[] b0, double[] p0) {
        double[] y = new double[batch * steps * channels];
        double[] aT = new double[batch * channels];
        double[] bT = new double[batch * channels];
        double[] pT = new double[batch * channels];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                double a = a0[n * channels + c];
                double b = b0[n * channels + c];
                double p = p0[n * channels + c];
                for (int t = 0; t < steps; t++) {
                    int i = (n * steps + t) * channels + c;
                    double uk = u[c] + k[i];
                    double q = Math.max(p, uk);
                    double e1 = Math.exp(p - q);
                    double e2 = Math.exp(uk - q);
                    y[i] = (e1 * a + e2 * v[i]) / (e1 * b + e2);
                    double q2 = Math.max(p + w[c], k[i]);
                    double f1 = Math.exp(p + w[c] - q2);
                    double f2 = Math.exp(k[i] - q2);
                    a = f1 * a + f2 * v[i];
                    b = f1 * b + f2;
                    p = q2;
                }
                aT[n * channels + c] = a;
                bT[n * channels + c] = b;
                pT[n * channels + c] = p;
            }
        }
        return new double[][] {y, aT, bT, pT};
    }
}
