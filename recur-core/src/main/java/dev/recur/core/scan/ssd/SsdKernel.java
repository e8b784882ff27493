package dev.recur.core.scan.ssd;

/**
 * A forward kernel for SSD. Per batch entry and head h (group g), with state {@code S [P, N]}:
 * <pre>
 *   S_t = exp(dt_t A_h) S_{t-1} + dt_t x_t B_t^T
 *   y_t = S_t C_t + D_h x_t
 * </pre>
 * writing {@code y [B, T, H, P]} and the final state {@code hT [B, H, P, N]}.
 */
public interface SsdKernel {
    void forward(SsdInputs in, float[] y, float[] hT);
}
