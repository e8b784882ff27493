package dev.recur.core.scan.diagonal;

/**
 * A kernel for the diagonal scan {@code h_t = a_t * h_{t-1} + b_t} on flat row-major arrays.
 *
 * <p>Shapes: {@code a}, {@code b}, {@code h} are {@code [B, T, D]} (batch-first, channels last); {@code h0} and
 * {@code hT} are {@code [B, D]}. A null {@code h0} means a zero initial state.
 *
 * <p>Backward, for upstream gradients {@code gh} of {@code h} and {@code ghT} of the final state, is the
 * adjoint scan run backward in time: {@code g_t = gh_t + a_{t+1} * g_{t+1}} (with {@code g_{T-1} = gh_{T-1} +
 * ghT}); then {@code da_t = g_t * h_{t-1}}, {@code db_t = g_t} and {@code dh0 = a_0 * g_0}.
 */
public interface DiagonalScanKernel {
    /** Writes every state into {@code h} and the last one into {@code hT}. */
    void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen, int channels);

    /**
     * Overwrites {@code da}, {@code db} and, when non-null, {@code dh0} with the gradients; {@code h} is the
     * forward's output, {@code ghT} may be null (no gradient reached the final state).
     */
    void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
                  float[] da, float[] db, float[] dh0, int batch, int seqLen, int channels);
}
