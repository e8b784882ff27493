package dev.recur.core.scan.selective;

/**
 * A double-precision twin of the local backward scan, written as the explicit sum the recurrence unrolls to:
 * {@code y_t = sum_n C_t[n] sum_{j = t+1}^{end of t's window - 1} prod_{k = t}^{j-1} exp(delta_k A[n]) delta_j B_j[n]
 * u_j}. It shares no loop structure with the kernels.
 */
final class LocalBackwardScanTwin {
    private LocalBackwardScanTwin() {}

    /** Returns y [B, T, D]. */
    static double[] forward(double[] u, double[] delta, double[] a, double[] b, double[] c, int window, int batch,
                            int seqLen, int channels, int dState) {
        double[] y = new double[batch * seqLen * channels];
        for (int bi = 0; bi < batch; bi++) {
            for (int d = 0; d < channels; d++) {
                for (int t = 0; t < seqLen; t++) {
                    int end = Math.min(seqLen, (t / window + 1) * window);
                    double sum = 0;
                    for (int s = 0; s < dState; s++) {
                        double logDecay = 0;
                        for (int j = t + 1; j < end; j++) {
                            logDecay += delta[(bi * seqLen + j - 1) * channels + d] * a[d * dState + s];
                            int ij = (bi * seqLen + j) * channels + d;
                            sum += c[(bi * seqLen + t) * dState + s] * Math.exp(logDecay) * delta[ij]
                                    * b[(bi * seqLen + j) * dState + s] * u[ij];
                        }
                    }
                    y[(bi * seqLen + t) * channels + d] = sum;
                }
            }
        }
        return y;
    }
}
