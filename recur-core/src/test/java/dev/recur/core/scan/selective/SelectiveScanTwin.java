package dev.recur.core.scan.selective;

/**
 * A double-precision twin of the selective scan, written from the paper's recurrence (and the delta bias /
 * softplus of the fused kernel): the independent ground truth for the gradient check and for the kernels.
 */
final class SelectiveScanTwin {
    private SelectiveScanTwin() {}

    /** Returns y [B,T,D] followed by hT [B,D,N]; dSkip, h0 and bias may be null. */
    static double[] forward(double[] u, double[] delta, double[] a, double[] b, double[] c, double[] dSkip,
                            double[] h0, double[] bias, boolean softplus, int batch, int seqLen, int channels,
                            int dState) {
        double[] y = new double[batch * seqLen * channels];
        double[] hT = new double[batch * channels * dState];
        for (int bi = 0; bi < batch; bi++) {
            for (int d = 0; d < channels; d++) {
                double[] h = new double[dState];
                for (int s = 0; s < dState; s++) {
                    h[s] = h0 == null ? 0 : h0[(bi * channels + d) * dState + s];
                }
                for (int t = 0; t < seqLen; t++) {
                    int i = (bi * seqLen + t) * channels + d;
                    double dt = delta[i] + (bias == null ? 0 : bias[d]);
                    if (softplus) {
                        dt = dt > 20 ? dt : Math.log1p(Math.exp(dt));
                    }
                    double sum = 0;
                    for (int s = 0; s < dState; s++) {
                        int r = (bi * seqLen + t) * dState + s;
                        h[s] = Math.exp(dt * a[d * dState + s]) * h[s] + dt * b[r] * u[i];
                        sum += h[s] * c[r];
                    }
                    y[i] = sum + (dSkip == null ? 0 : dSkip[d] * u[i]);
                }
                for (int s = 0; s < dState; s++) {
                    hT[(bi * channels + d) * dState + s] = h[s];
                }
            }
        }
        double[] out = new double[y.length + hT.length];
        System.arraycopy(y, 0, out, 0, y.length);
        System.arraycopy(hT, 0, out, y.length, hT.length);
        return out;
    }
}
