package dev.recur.core.scan.delta;

/**
 * A kernel for the (gated) delta rule. Per batch entry and head, with the state {@code S [K, V]} (keys along
 * rows) and {@code alpha_t = exp(logGate_t)} (one without a gate):
 * <pre>
 *   S'_t    = alpha_t S_{t-1}
 *   delta_t = beta_t (v_t - S'_t^T k_t)
 *   S_t     = S'_t + k_t delta_t^T          (= alpha_t (I - beta_t k_t k_t^T) S_{t-1} + beta_t k_t v_t^T)
 *   o_t     = S_t^T (scale * q_t)
 * </pre>
 * writing {@code o [B, T, H, V]} and the final state {@code hT [B, H, K, V]}.
 */
public interface DeltaKernel {
    void forward(DeltaInputs in, float[] o, float[] hT);

    /**
     * Adds the gradients of {@code sum(o * go) + sum(hT * ghT)} into {@code grads}, recomputing whatever it
     * needs from the inputs; {@code ghT} may be null.
     */
    void backward(DeltaInputs in, float[] go, float[] ghT, DeltaGrads grads);
}
