package dev.recur.core.scan.selective;

/**
 * A kernel for the local backward scan of LBMamba (Zhang et al. 2025, "LBMamba: Locally Bi-directional Mamba").
 * The sequence is cut into windows {@code [kW, (k+1)W)}; inside each, per batch entry b, channel d and state
 * index n, a selective scan runs right to left from a zero state:
 * <pre>
 *   hR[t, n] = exp(delta[t, d] * A[d, n]) * hR[t+1, n] + delta[t, d] * B[t, n] * u[t, d]   (hR = 0 past the window)
 *   y[t, d]  = sum_n C[t, n] * (hR[t, n] - delta[t, d] * B[t, n] * u[t, d])
 *            = sum_n C[t, n] * exp(delta[t, d] * A[d, n]) * hR[t+1, n]
 * </pre>
 * {@code y} is what the later tokens of the window add to a forward selective scan's output: LBMamba's state
 * is {@code h = hL + hR - delta B u} (the current token is in both scans and counted once), so its output is
 * the forward scan's output plus this {@code y}. With {@code W = 1} it is zero; with {@code W >= T} it is a
 * global backward scan less the current token's term.
 *
 * <p>The backward runs left to right inside each window. With {@code G_t = dL/dhR_t} ({@code G = 0} at the
 * window's first step) and {@code Q_t = gy_t C_t + G_t}: {@code G_{t+1} = exp(delta_t A) Q_t},
 * {@code dC_t = gy_t exp(delta_t A) hR_{t+1}}, {@code dB_t = G_t delta_t u_t}, {@code du_t = delta_t sum_n G_t B_t},
 * {@code ddelta_t = u_t sum_n G_t B_t + sum_n Q_t A exp(delta_t A) hR_{t+1}} and
 * {@code dA = sum_t Q_t delta_t exp(delta_t A) hR_{t+1}}. The inputs' {@code dSkip} and {@code h0} are unused.
 */
public interface LocalBackwardScanKernel {
    /** Writes {@code y [B, T, D]} for windows of {@code window} steps. */
    void forward(SelectiveScanInputs in, int window, float[] y);

    /** Adds the gradients for the upstream gradient {@code gy [B, T, D]} into {@code grads}. */
    void backward(SelectiveScanInputs in, int window, float[] gy, SelectiveScanGrads grads);
}
