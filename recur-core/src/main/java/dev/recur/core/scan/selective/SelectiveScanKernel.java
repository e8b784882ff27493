package dev.recur.core.scan.selective;

/**
 * A kernel for the selective scan. Per batch entry b, channel d and state index n:
 * <pre>
 *   h[t, n] = exp(delta[t, d] * A[d, n]) * h[t-1, n] + delta[t, d] * B[t, n] * u[t, d]
 *   y[t, d] = sum_n h[t, n] * C[t, n] + D[d] * u[t, d]
 * </pre>
 * with {@code h[-1] = h0} and the final state {@code hT = h[T-1]}.
 *
 * <p>The backward, for upstream gradients {@code gy} of y and {@code ghT} of the final state, runs the adjoint
 * recurrence backward in time: {@code g_t = gy_t * C_t + exp(delta_{t+1} A) * g_{t+1}} (with {@code ghT}
 * entering {@code g_{T-1}}), from which {@code dC_t = sum_d gy_t h_t}, {@code dB_t = sum_d g_t delta_t u_t},
 * {@code du_t = gy_t D + sum_n g_t delta_t B_t}, {@code ddelta_t = sum_n g_t (A exp(delta_t A) h_{t-1} + B_t
 * u_t)}, {@code dA = sum_t g_t delta_t exp(delta_t A) h_{t-1}}, {@code dD = sum_t gy_t u_t} and {@code dh0 =
 * exp(delta_0 A) g_0}.
 */
public interface SelectiveScanKernel {
    /**
     * Writes {@code y [B, T, D]} and {@code hT [B, D, N]}; when {@code saveForBackward}, returns what
     * {@link #backward} needs beyond the inputs (kernel-specific, possibly null), else null.
     */
    float[] forward(SelectiveScanInputs in, float[] y, float[] hT, boolean saveForBackward);

    /**
     * Adds the gradients into {@code grads}; {@code saved} is what {@link #forward} returned, {@code ghT} may
     * be null (no gradient reached the final state).
     */
    void backward(SelectiveScanInputs in, float[] saved, float[] gy, float[] ghT, SelectiveScanGrads grads);
}
