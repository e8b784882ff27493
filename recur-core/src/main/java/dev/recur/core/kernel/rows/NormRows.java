package dev.recur.core.kernel.rows;

/**
 * Normalisation kernels over the rows of a row-major {@code [rows, n]} array, with what backward needs saved
 * per row ({@code mean}, {@code rstd}). A null weight or bias means none (an identity scale, a zero shift).
 * Backward methods add into their gradient arrays; any of them may be null when that gradient is not needed.
 */
public interface NormRows {
    /**
     * RMSNorm: {@code rstd[r] = 1 / sqrt(mean_i x[r, i]^2 + eps)}, {@code y[r, i] = x[r, i] * rstd[r] * w[i]}.
     */
    void rmsNorm(float[] x, float[] w, float[] y, float[] rstd, int rows, int n, float eps);

    /**
     * With {@code g = dy * w}: {@code dx += rstd * (g - x * rstd^2 * mean(g * x))}, {@code dw += sum_r dy * x * rstd}.
     */
    void rmsNormBackward(float[] x, float[] w, float[] rstd, float[] dy, float[] dx, float[] dw, int rows, int n);

    /**
     * LayerNorm with the biased variance: {@code mean[r]}, {@code rstd[r] = 1 / sqrt(var + eps)},
     * {@code y = (x - mean) * rstd * w + b}.
     */
    void layerNorm(float[] x, float[] w, float[] b, float[] y, float[] mean, float[] rstd, int rows, int n,
                   float eps);

    /**
     * With {@code xhat = (x - mean) * rstd} and {@code g = dy * w}:
     * {@code dx += rstd * (g - mean(g) - xhat * mean(g * xhat))}, {@code dw += sum_r dy * xhat},
     * {@code db += sum_r dy}.
     */
    void layerNormBackward(float[] x, float[] w, float[] mean, float[] rstd, float[] dy, float[] dx, float[] dw,
                           float[] db, int rows, int n);
}
