package dev.recur.layers.rat;

import java.util.ArrayList;
import java.util.List;

/**
 * RAT's mixer in double precision, token by token from the paper's equations: the running key and value restart
 * at each chunk start, follow {@code s = f s + (1 - f) x}, and each query attends with softmax to the stored
 * chunk-end states and its own running state.
 */
final class RatTwin {
    private RatTwin() {}

    /**
     * Per stream: {@code out [T, E]}, then the chunk keys {@code [H, C, hd]}, the chunk values {@code [H, C, hd]}
     * and the running state {@code [2E]} after the chunk. {@code cacheK}, {@code cacheV} are {@code [B, H, C0, hd]}
     * and {@code running} {@code [B, 2E]} (may be all zeros), the chunk starting at {@code start}.
     */
    static double[] forward(int batch, int steps, int heads, int headDim, int chunkLen, long start, double[] q,
                            double[] k, double[] v, double[] f, double[] cacheK, double[] cacheV, double[] running) {
        int e = heads * headDim;
        int c0 = (int) (start / chunkLen);
        List<double[]> perStream = new ArrayList<>();
        int total = 0;
        for (int b = 0; b < batch; b++) {
            List<double[]> keys = new ArrayList<>(); // each [E]: one chunk's key for every head
            List<double[]> values = new ArrayList<>();
            for (int c = 0; c < c0; c++) {
                double[] kk = new double[e];
                double[] vv = new double[e];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < headDim; i++) {
                        int src = ((b * heads + h) * c0 + c) * headDim + i;
                        kk[h * headDim + i] = cacheK[src];
                        vv[h * headDim + i] = cacheV[src];
                    }
                }
                keys.add(kk);
                values.add(vv);
            }
            double[] runK = new double[e];
            double[] runV = new double[e];
            for (int j = 0; j < e; j++) {
                runK[j] = running[b * 2 * e + j];
                runV[j] = running[b * 2 * e + e + j];
            }
            double[] out = new double[steps * e];
            for (int t = 0; t < steps; t++) {
                long p = start + t;
                int x = (b * steps + t) * e;
                for (int j = 0; j < e; j++) {
                    double keep = p % chunkLen == 0 ? 0 : f[x + j];
                    runK[j] = keep * runK[j] + (1 - f[x + j]) * k[x + j];
                    runV[j] = keep * runV[j] + (1 - f[x + j]) * v[x + j];
                }
                for (int h = 0; h < heads; h++) {
                    int n = keys.size() + 1;
                    double[] s = new double[n];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < n; c++) {
                        double[] kk = c < keys.size() ? keys.get(c) : runK;
                        double dot = 0;
                        for (int i = 0; i < headDim; i++) {
                            dot += q[x + h * headDim + i] * kk[h * headDim + i];
                        }
                        s[c] = dot / Math.sqrt(headDim);
                        max = Math.max(max, s[c]);
                    }
                    double z = 0;
                    for (int c = 0; c < n; c++) {
                        s[c] = Math.exp(s[c] - max);
                        z += s[c];
                    }
                    for (int c = 0; c < n; c++) {
                        double[] vv = c < keys.size() ? values.get(c) : runV;
                        for (int i = 0; i < headDim; i++) {
                            out[t * e + h * headDim + i] += s[c] / z * vv[h * headDim + i];
                        }
                    }
                }
                if ((p + 1) % chunkLen == 0) {
                    keys.add(runK.clone());
                    values.add(runV.clone());
                }
            }
            int chunks = keys.size();
            double[] row = new double[steps * e + 2 * chunks * e + 2 * e];
            System.arraycopy(out, 0, row, 0, out.length);
            for (int h = 0; h < heads; h++) {
                for (int c = 0; c < chunks; c++) {
                    for (int i = 0; i < headDim; i++) {
                        row[steps * e + (h * chunks + c) * headDim + i] = keys.get(c)[h * headDim + i];
                        row[steps * e + chunks * e + (h * chunks + c) * headDim + i] = values.get(c)[h * headDim + i];
                    }
                }
            }
            System.arraycopy(runK, 0, row, steps * e + 2 * chunks * e, e);
            System.arraycopy(runV, 0, row, steps * e + 2 * chunks * e + e, e);
            perStream.add(row);
            total += row.length;
        }
        double[] all = new double[total];
        int at = 0;
        for (double[] row : perStream) {
            System.arraycopy(row, 0, all, at, row.length);
            at += row.length;
        }
        return all;
    }
}
