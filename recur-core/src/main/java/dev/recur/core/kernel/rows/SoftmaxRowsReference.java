package dev.recur.core.kernel.rows;

/** Scalar reference for {@link SoftmaxRows}: plain loops, float accumulators, {@link Math#exp}. */
public final class SoftmaxRowsReference implements SoftmaxRows {
    @Override
    public void softmax(float[] x, float[] y, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float max = rowMax(x, off, n);
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(x[off + i] - max);
                y[off + i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < n; i++) {
                y[off + i] *= inv;
            }
        }
    }

    @Override
    public void logSoftmax(float[] x, float[] y, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float lse = rowLogSumExp(x, off, n);
            for (int i = 0; i < n; i++) {
                y[off + i] = x[off + i] - lse;
            }
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float dot = 0f;
            for (int i = 0; i < n; i++) {
                dot = Math.fma(dy[off + i], y[off + i], dot);
            }
            for (int i = 0; i < n; i++) {
                dx[off + i] = Math.fma(y[off + i], dy[off + i] - dot, dx[off + i]);
            }
        }
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int off = r * n;
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                sum += dy[off + i];
            }
            for (int i = 0; i < n; i++) {
                dx[off + i] += dy[off + i] - (float) Math.exp(y[off + i]) * sum;
            }
        }
    }

    @Override
    public void logSumExp(float[] x, float[] lse, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            lse[r] = rowLogSumExp(x, r * n, n);
        }
    }

    @Override
    public void addScaledSoftmax(float[] x, float[] lse, float[] scale, float[] dx, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            float s = scale[r];
            if (s == 0f) {
                continue;
            }
            int off = r * n;
            float l = lse[r];
            for (int i = 0; i < n; i++) {
                dx[off + i] = Math.fma(s, (float) Math.exp(x[off + i] - l), dx[off + i]);
            }
        }
    }

    private static float rowMax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, x[off + i]);
        }
        return max;
    }

    private static float rowLogSumExp(float[] x, int off, int n) {
        float max = rowMax(x, off, n);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += (float) Math.exp(x[off + i] - max);
        }
        return max + (float) Math.log(sum);
    }
}
