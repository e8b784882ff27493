package dev.recur.core.scan.wkv;

/**
 * The RWKV-4 WKV recurrence over a whole sequence, per channel, in the numerically stable form with a running
 * maximum exponent (Peng et al. 2023, "RWKV: Reinventing RNNs for the Transformer Era", eq. 14-16 and the
 * appendix on numerical stability).
 *
 * <p>With the state {@code (a, b, p)} standing for numerator {@code a * e^p} and denominator {@code b * e^p},
 * each token {@code t} with key {@code k} and value {@code v} gives
 * <pre>
 *   q  = max(p, u + k),      y  = (e^(p-q) a + e^(u+k-q) v) / (e^(p-q) b + e^(u+k-q))
 *   q' = max(p + w, k),      a' = e^(p+w-q') a + e^(k-q') v,   b' = e^(p+w-q') b + e^(k-q'),   p' = q'
 * </pre>
 * where {@code w = -exp(time_decay)} (negative) and {@code u = time_first}. Arrays are row-major: keys, values
 * and outputs {@code [B, T, D]}, states {@code [B, D]}, {@code w} and {@code u} {@code [D]}.
 */
public interface WkvKernel {
    /**
     * Runs the recurrence from {@code (a0, b0, p0)}, writing {@code y} and the final state {@code (aT, bT, pT)}.
     * When {@code trace} is non-null it receives the state entering each step ({@link WkvTrace}), for
     * {@link #backward}.
     */
    void forward(int batch, int steps, int channels, float[] w, float[] u, float[] k, float[] v,
                 float[] a0, float[] b0, float[] p0, float[] y, float[] aT, float[] bT, float[] pT, WkvTrace trace);

    /**
     * Back-propagates {@code gy [B, T, D]} and the final state's gradients {@code (gaT, gbT, gpT) [B, D]} through
     * the recurrence recorded in {@code trace}, ADDING into each non-null gradient array: {@code gw, gu [D]},
     * {@code gk, gv [B, T, D]} and the initial state's {@code (ga0, gb0, gp0) [B, D]}. A maximum that ties
     * splits its gradient in half between both sides, as PyTorch's {@code maximum} does.
     */
    void backward(int batch, int steps, int channels, float[] w, float[] u, float[] k, float[] v, WkvTrace trace,
                  float[] gy, float[] gaT, float[] gbT, float[] gpT,
                  float[] gw, float[] gu, float[] gk, float[] gv, float[] ga0, float[] gb0, float[] gp0);
}
