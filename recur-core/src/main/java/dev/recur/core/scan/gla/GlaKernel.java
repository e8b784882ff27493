package dev.recur.core.scan.gla;

/**
 * A kernel for gated linear attention. Per batch entry and head, with the matrix-valued state
 * {@code S [K, V]} and {@code alpha_t = exp(logDecay_t)} (all ones without decay):
 * <pre>
 *   S_t = diag(alpha_t) S_{t-1} + k_t v_t^T
 *   o_t = S_t^T (scale * q_t)
 * </pre>
 * writing {@code o [B, T, H, V]} and the final state {@code hT [B, H, K, V]}.
 */
public interface GlaKernel {
    void forward(GlaInputs in, float[] o, float[] hT);

    /**
     * Adds the gradients of {@code sum(o * go) + sum(hT * ghT)} into {@code grads}, recomputing whatever it
     * needs from the inputs; {@code ghT} may be null.
     */
    void backward(GlaInputs in, float[] go, float[] ghT, GlaGrads grads);
}
