package dev.recur.core.scan.gla;

/** Gated linear attention in double, written from the paper's recurrent form: the independent ground truth. */
final class GlaTwin {
    private GlaTwin() {}

    /** Returns o [B,T,H,V] followed by hT [B,H,K,V]; logDecay and h0 may be null. */
    static double[] forward(double[] q, double[] k, double[] v, double[] logDecay, double[] h0, double scale,
                            int batch, int seqLen, int heads, int keyDim, int valueDim) {
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
                    int kRow = ((b * seqLen + t) * heads + h) * keyDim;
                    int vRow = ((b * seqLen + t) * heads + h) * valueDim;
                    for (int i = 0; i < keyDim; i++) {
                        double alpha = logDecay == null ? 1 : Math.exp(logDecay[kRow + i]);
                        for (int j = 0; j < valueDim; j++) {
                            s[i][j] = alpha * s[i][j] + k[kRow + i] * v[vRow + j];
                        }
                    }
                    for (int j = 0; j < valueDim; j++) {
                        double acc = 0;
                        for (int i = 0; i < keyDim; i++) {
                            acc += scale * q[kRow + i] * s[i][j];
                        }
                        o[vRow + j] = acc;
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
