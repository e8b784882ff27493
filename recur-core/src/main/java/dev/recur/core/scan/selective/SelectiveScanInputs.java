package dev.recur.core.scan.selective;

/**
 * The operands of a selective scan, as flat row-major arrays (already validated by
 * {@link SelectiveScan}).
 *
 * @param u      {@code [B, T, D]} the input sequence
 * @param delta  {@code [B, T, D]} the step sizes, already positive (after any bias and softplus)
 * @param a      {@code [D, N]} the continuous-time state matrix's diagonal (a layer passes {@code -exp(A_log)})
 * @param b      {@code [B, T, N]} the input projection, per step
 * @param c      {@code [B, T, N]} the output projection, per step
 * @param dSkip  {@code [D]} the skip connection, or null for none
 * @param h0     {@code [B, D, N]} the initial state, or null for zeros
 * @param batch    B
 * @param seqLen   T
 * @param channels D
 * @param dState   N
 */
public record SelectiveScanInputs(float[] u, float[] delta, float[] a, float[] b, float[] c, float[] dSkip,
                                  float[] h0, int batch, int seqLen, int channels, int dState) {
}
