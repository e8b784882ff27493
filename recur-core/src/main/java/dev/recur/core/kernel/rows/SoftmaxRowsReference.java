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
            float max = rowMax(x, off, n);
            float logSum = rowLogSum(x, off, n, max);
            for (int i = 0; i < n; i++) {
                y[off + i] = (x[off + i] - max) - logSum;
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
    public void logSumExp(float[] x, float[] max, float[] logSum, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            max[r] = rowMax(x, r * n, n);
            logSum[r] = rowLogSum(x, r * n, n, max[r]);
        }
    }

    @Override
    public void addScaledSoftmax(float[] x, float[] max, float[] logSum, float[] scale, float[] dx, int rows,
                                 int n) {
        for (int r = 0; r < rows; r++) {
            float s = scale[r];
            if (s == 0f) {
                continue;
            }
            int off = r * n;
            float m = max[r];
            float l = logSum[r];
            for (int i = 0; i < n; i++) {
                dx[off + i] = Math.fma(s, (float) Math.exp((x[off + i] - m) - l), dx[off + i]);
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

    private static float rowLogSum(float[] x, int off, int n, float max) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += (float) Math.exp(x[off + i] - max);
        }
        return (float) Math.log(sum);
    }
}
