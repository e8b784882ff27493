package dev.recur.layers.attention;

import java.util.Arrays;

/**
 * Naive double-precision causal attention, written from the definition: per query head and token, rotate the
 * query and the chunk's keys (pairs {@code (i, i + r/2)} of the first {@code r} dimensions), score every cached
 * and new key, mask by causality and window, softmax, and mix the values. Cached keys are already rotated.
 */
final class AttentionTwin {
    private AttentionTwin() {}

    /**
     * q {@code [B, T, H*hd]}, k and v {@code [B, T, G*hd]}, cached keys and values {@code [B, G, C, hd]} (C may be
     * 0), the chunk at position {@code start}: returns {@code [B, T, H*hd]}.
     */
    static double[] forward(AttentionConfig c, int batch, int steps, int cached, double[] q, double[] k, double[] v,
                            double[] cacheK, double[] cacheV, long start) {
        int h = c.heads();
        int g = c.kvHeads();
        int hd = c.headDim();
        int span = cached + steps;
        double[] out = new double[batch * steps * h * hd];
        for (int b = 0; b < batch; b++) {
            // keys and values of every visible slot, per kv head: [G, C+T, hd]
            double[][][] keys = new double[g][span][];
            double[][][] values = new double[g][span][];
            for (int kv = 0; kv < g; kv++) {
                for (int j = 0; j < cached; j++) {
                    int off = ((b * g + kv) * cached + j) * hd;
                    keys[kv][j] = Arrays.copyOfRange(cacheK, off, off + hd);
                    values[kv][j] = Arrays.copyOfRange(cacheV, off, off + hd);
                }
                for (int t = 0; t < steps; t++) {
                    int off = (b * steps + t) * g * hd + kv * hd;
                    keys[kv][cached + t] = rotate(Arrays.copyOfRange(k, off, off + hd), c, start + t);
                    values[kv][cached + t] = Arrays.copyOfRange(v, off, off + hd);
                }
            }
            for (int head = 0; head < h; head++) {
                int kv = head / c.groupSize();
                for (int t = 0; t < steps; t++) {
                    int qo = (b * steps + t) * h * hd + head * hd;
                    double[] qr = rotate(Arrays.copyOfRange(q, qo, qo + hd), c, start + t);
                    long qp = start + t;
                    double[] w = new double[span];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < span; j++) {
                        long kp = start - cached + j;
                        boolean visible = kp >= 0 && kp <= qp && (c.window() == 0 || qp - kp < c.window());
                        if (!visible) {
                            w[j] = Double.NEGATIVE_INFINITY;
                            continue;
                        }
                        double s = 0;
                        for (int d = 0; d < hd; d++) {
                            s += qr[d] * keys[kv][j][d];
                        }
                        w[j] = s / Math.sqrt(hd);
                        max = Math.max(max, w[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < span; j++) {
                        w[j] = w[j] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(w[j] - max);
                        sum += w[j];
                    }
                    for (int j = 0; j < span; j++) {
                        if (w[j] == 0) {
                            continue;
                        }
                        for (int d = 0; d < hd; d++) {
                            out[qo + d] += w[j] / sum * values[kv][j][d];
                        }
                    }
                }
            }
        }
        return out;
    }

    static double[] rotate(double[] x, AttentionConfig c, long position) {
        int r = c.rotaryDims();
        double[] y = x.clone();
        for (int i = 0; i < r / 2; i++) {
            double angle = position * Math.pow(c.ropeTheta(), -2.0 * i / r);
            y[i] = x[i] * Math.cos(angle) - x[i + r / 2] * Math.sin(angle);
            y[i + r / 2] = x[i + r / 2] * Math.cos(angle) + x[i] * Math.sin(angle);
        }
        return y;
    }
}
