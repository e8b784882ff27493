package dev.recur.core.scan.lightnet;

/**
 * LightNet in double, written in the additive form: the unnormalised state {@code m_{-1} S_{-1} + sum exp(k) v^T}
 * divided by {@code m_t = m_{-1} + sum exp(k)} at every step.
 */
final class LightNetTwin {
    private LightNetTwin() {}

    /** Returns o [B,T,H,V], then hT [B,H,K,V], then zT [B,H,K]; h0 and z0 may be null (no history). */
    static double[] forward(double[] q, double[] k, double[] v, double[] h0, double[] z0, double scale, int batch,
                            int seqLen, int heads, int keyDim, int valueDim) {
        double[] o = new double[batch * seqLen * heads * valueDim];
        double[] hT = new double[batch * heads * keyDim * valueDim];
        double[] zT = new double[batch * heads * keyDim];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                double[] m = new double[keyDim];
                double[][] sum = new double[keyDim][valueDim];
                for (int i = 0; i < keyDim; i++) {
                    m[i] = z0 == null ? 0 : Math.exp(z0[(b * heads + h) * keyDim + i]);
                    for (int j = 0; j < valueDim; j++) {
                        sum[i][j] = h0 == null ? 0 : m[i] * h0[((b * heads + h) * keyDim + i) * valueDim + j];
                    }
                }
                for (int t = 0; t < seqLen; t++) {
                    int row = (b * seqLen + t) * heads + h;
                    for (int i = 0; i < keyDim; i++) {
                        double w = Math.exp(k[row * keyDim + i]);
                        m[i] += w;
                        for (int j = 0; j < valueDim; j++) {
                            sum[i][j] += w * v[row * valueDim + j];
                        }
                    }
                    for (int j = 0; j < valueDim; j++) {
                        double acc = 0;
                        for (int i = 0; i < keyDim; i++) {
                            acc += scale * q[row * keyDim + i] * sum[i][j] / m[i];
                        }
                        o[row * valueDim + j] = acc;
                    }
                }
                for (int i = 0; i < keyDim; i++) {
                    zT[(b * heads + h) * keyDim + i] = Math.log(m[i]);
                    for (int j = 0; j < valueDim; j++) {
                        hT[((b * heads + h) * keyDim + i) * valueDim + j] = sum[i][j] / m[i];
                    }
                }
            }
        }
        double[] out = new double[o.length + hT.length + zT.length];
        System.arraycopy(o, 0, out, 0, o.length);
        System.arraycopy(hT, 0, out, o.length, hT.length);
        System.arraycopy(zT, 0, out, o.length + hT.length, zT.length);
        return out;
    }
}
