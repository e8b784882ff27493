package dev.recur.core.scan.ssd;

/**
 * The operands of an SSD scan as flat row-major arrays (validated by {@link Ssd}). Head {@code h} reads group
 * {@code h / (H / G)} of B and C.
 *
 * @param x      {@code [B, T, H, P]} the input, per head
 * @param dt     {@code [B, T, H]} the step sizes, already positive (after softplus)
 * @param a      {@code [H]} the scalar state decay rate per head (a layer passes {@code -exp(A_log)})
 * @param b      {@code [B, T, G, N]} the input projection
 * @param c      {@code [B, T, G, N]} the output projection
 * @param dSkip  {@code [H]} the skip connection, or null
 * @param h0     {@code [B, H, P, N]} the initial state, or null for zeros
 */
public record SsdInputs(float[] x, float[] dt, float[] a, float[] b, float[] c, float[] dSkip, float[] h0,
                        int batch, int seqLen, int heads, int headDim, int groups, int dState) {
    /** The group of B and C that a head reads. */
    public int groupOf(int head) {
        return head / (heads / groups);
    }
}
