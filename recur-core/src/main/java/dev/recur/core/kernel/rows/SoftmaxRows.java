package dev.recur.core.kernel.rows;

/**
 * Softmax-family kernels over the rows of a row-major {@code [rows, n]} array. All are numerically stable
 * (the row maximum is subtracted before exponentiating). Backward methods add into their gradient arrays.
 */
public interface SoftmaxRows {
    /** {@code y[r, i] = exp(x[r, i] - max_r) / sum_j exp(x[r, j] - max_r)}. */
    void softmax(float[] x, float[] y, int rows, int n);

    /** {@code y[r, i] = (x[r, i] - max_r) - log(sum_j exp(x[r, j] - max_r))}, exact for the largest logit. */
    void logSoftmax(float[] x, float[] y, int rows, int n);

    /** Given {@code y = softmax(x)}: {@code dx[r, i] += y[r, i] * (dy[r, i] - sum_j dy[r, j] * y[r, j])}. */
    void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n);

    /** Given {@code y = logSoftmax(x)}: {@code dx[r, i] += dy[r, i] - exp(y[r, i]) * sum_j dy[r, j]}. */
    void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int n);

    /**
     * The log-sum-exp of each row in two parts, {@code max[r]} and {@code logSum[r] = log(sum_j exp(x[r, j] - max[r]))},
     * so that callers can subtract the maximum first and keep the precision of large logits.
     */
    void logSumExp(float[] x, float[] max, float[] logSum, int rows, int n);

    /**
     * {@code dx[r, i] += scale[r] * exp((x[r, i] - max[r]) - logSum[r])}: the softmax part of a fused
     * cross-entropy backward. Rows whose scale is exactly 0 are left untouched.
     */
    void addScaledSoftmax(float[] x, float[] max, float[] logSum, float[] scale, float[] dx, int rows, int n);
}
