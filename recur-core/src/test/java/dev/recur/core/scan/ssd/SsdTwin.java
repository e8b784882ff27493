package dev.recur.core.scan.ssd;

/** The SSD recurrence in double, written from the paper's sequential form: the independent ground truth. */
final class SsdTwin {
    private SsdTwin() {}

    /** Returns y [B,T,H,P] followed by hT [B,H,P,N]; dSkip and h0 may be null. */
    static double[] forward(double[] x, double[] dt, double[] a, double[] b, double[] c, double[] dSkip, double[] h0,
                            int batch, int seqLen, int heads, int headDim, int groups, int dState) {
        double[] y = new double[batch * seqLen * heads * headDim];
        double[] hT = new double[batch * heads * headDim * dState];
        for (int bi = 0; bi < batch; bi++) {
            for (int h = 0; h < heads; h++) {
                int g = h / (heads / groups);
                double[][] s = new double[headDim][dState];
                for (int i = 0; i < headDim; i++) {
                    for (int k = 0; k < dState; k++) {
                        s[i][k] = h0 == null ? 0 : h0[((bi * heads + h) * headDim + i) * dState + k];
                    }
                }
                for (int t = 0; t < seqLen; t++) {
                    double step = dt[(bi * seqLen + t) * heads + h];
                    double decay = Math.exp(step * a[h]);
                    for (int i = 0; i < headDim; i++) {
                        int xi = ((bi * seqLen + t) * heads + h) * headDim + i;
                        double sum = 0;
                        for (int k = 0; k < dState; k++) {
                            int bk = ((bi * seqLen + t) * groups + g) * dState + k;
                            s[i][k] = decay * s[i][k] + step * x[xi] * b[bk];
                            sum += s[i][k] * c[bk];
                        }
                        y[xi] = sum + (dSkip == null ? 0 : dSkip[h] * x[xi]);
                    }
                }
                for (int i = 0; i < headDim; i++) {
                    for (int k = 0; k < dState; k++) {
                        hT[((bi * heads + h) * headDim + i) * dState + k] = s[i][k];
                    }
                }
            }
        }
        double[] out = new double[y.length + hT.length];
        System.arraycopy(y, 0, out, 0, y.length);
        System.arraycopy(hT, 0, out, y.length, hT.length);
        return out;
    }
}
