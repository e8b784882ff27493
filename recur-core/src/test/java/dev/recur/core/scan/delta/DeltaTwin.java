package dev.recur.core.scan.delta;

/**
 * The gated delta rule in double, written as the paper's matrix recurrence
 * {@code S_t = alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T}: the independent ground truth.
 */
final class DeltaTwin {
    private DeltaTwin() {}

    /** Returns o [B,T,H,V] followed by hT [B,H,K,V]; g and h0 may be null. */
    static double[] forward(double[] q, double[] k, double[] v, double[] beta, double[] g, double[] h0,
                            double scale, int batch, int seqLen, int heads, int keyDim, int valueDim) {
        double[] o = new double[batch * seqLen * heads * valueDim];
        double[] hT = new double[batch * heads * keyDim * valueDim];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[][] s = new double[keyDim][valueDim];
                int base = (b * heads + h) * keyDim * valueDim;
                for (int i = 0; i < keyDim; i++) {
                    for (int j = 0; j < valueDim; j++) {
                        s[i][j] = h0 == null ? 0 : h0[base + i * valueDim + j];
                    }
                }
                for (int t = 0; t < seqLen; t++) {
                    int row = (b * seqLen + t) * heads + h;
                    double alpha = g == null ? 1 : Math.exp(g[row]);
                    double bt = beta[row];
                    // P = alpha (I - beta k k^T), then S = P S + beta k v^T
                    double[][] next = new double[keyDim][valueDim];
                    for (int i = 0; i < keyDim; i++) {
                        for (int j = 0; j < valueDim; j++) {
                            double acc = 0;
                            for (int m = 0; m < keyDim; m++) {
                                double p = alpha * ((i == m ? 1 : 0) - bt * k[row * keyDim + i] * k[row * keyDim + m]);
                                acc += p * s[m][j];
                            }
                            next[i][j] = acc + bt * k[row * keyDim + i] * v[row * valueDim + j];
                        }
                    }
                    s = next;
                    for (int j = 0; j < valueDim; j++) {
                        double acc = 0;
                        for (int i = 0; i < keyDim; i++) {
                            acc += scale * q[row * keyDim + i] * s[i][j];
                        }
                        o[row * valueDim + j] = acc;
                    }
                }
                for (int i = 0; i < keyDim; i++) {
                    for (int j = 0; j < valueDim; j++) {
                        hT[base + i * valueDim + j] = s[i][j];
                    }
                }
            }
        }
        double[] out = new double[o.length + hT.length];
        System.arraycopy(o, 0, out, 0, o.length);
        System.arraycopy(hT, 0, out, o.length, hT.length);
        return out;
    }
}
