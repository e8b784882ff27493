package dev.recur.core.kernel.rows;

/** Scalar reference for {@link NormRows}: plain loops, float accumulators, {@link Math#fma}. */
public final class NormRowsReference implements NormRows {
    @Override
    public void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int rows, int n, float eps) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float ss = 0f;
            for (int i = 0; i < n; i++) {
                ss = Math.fma(x[off + i], x[off + i], ss);
            }
            float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
            rstd[r] = rs;
            for (int i = 0; i < n; i++) {
                float v = x[off + i] * rs;
                y[off + i] = w == null ? v : v * w[i];
            }
        }
    }

    @Override
    public void rmsNormBackward(float[] x, float[] w, float[] rstd, float[] dy, float[] dx, float[] dw,
                                int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float rs = rstd[r];
            if (dx != null) {
                float dot = 0f;
                for (int i = 0; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    dot = Math.fma(g, x[off + i], dot);
                }
                float c = rs * rs * dot / n;
                for (int i = 0; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    dx[off + i] = Math.fma(rs, Math.fma(-x[off + i], c, g), dx[off + i]);
                }
            }
            if (dw != null) {
                for (int i = 0; i < n; i++) {
                    dw[i] = Math.fma(dy[off + i], x[off + i] * rs, dw[i]);
                }
            }
        }
    }

    @Override
    public void layerNorm(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd, int rows, int n,
                          float eps) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += x[off + i];
            }
            float m = sum / n;
            // Two passes: the variance of centred values does not cancel catastrophically.
            float ss = 0f;
            for (int i = 0; i < n; i++) {
                float d = x[off + i] - m;
                ss = Math.fma(d, d, ss);
            }
            float rs = (float) (1.0 / Math.sqrt(ss / n + eps));
            mean[r] = m;
            rstd[r] = rs;
            for (int i = 0; i < n; i++) {
                float v = (x[off + i] - m) * rs;
                if (w != null) {
                    v *= w[i];
                }
                y[off + i] = b == null ? v : v + b[i];
            }
        }
    }

    @Override
    public void layerNormBackward(float[] x, float[] w, float[] mean, float[] rstd, float[] dy, float[] dx,
                                  float[] dw, float[] db, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float m = mean[r];
            float rs = rstd[r];
            if (dx != null) {
                float sumG = 0f;
                float sumGx = 0f;
                for (int i = 0; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    sumG += g;
                    sumGx = Math.fma(g, (x[off + i] - m) * rs, sumGx);
                }
                float meanG = sumG / n;
                float meanGx = sumGx / n;
                for (int i = 0; i < n; i++) {
                    float g = w == null ? dy[off + i] : dy[off + i] * w[i];
                    float xhat = (x[off + i] - m) * rs;
                    dx[off + i] = Math.fma(rs, Math.fma(-xhat, meanGx, g - meanG), dx[off + i]);
                }
            }
            if (dw != null) {
                for (int i = 0; i < n; i++) {
                    dw[i] = Math.fma(dy[off + i], (x[off + i] - m) * rs, dw[i]);
                }
            }
            if (db != null) {
                for (int i = 0; i < n; i++) {
                    db[i] += dy[off + i];
                }
            }
        }
    }
}
