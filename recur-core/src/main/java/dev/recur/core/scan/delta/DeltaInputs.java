package dev.recur.core.scan.delta;

/**
 * The operands of a (gated) delta-rule scan as flat row-major arrays, batch-first (validated by
 * {@link GatedDeltaRule}).
 *
 * @param q       {@code [B, T, H, K]} the queries
 * @param k       {@code [B, T, H, K]} the keys (L2-normalised by the caller for a stable recurrence)
 * @param v       {@code [B, T, H, V]} the values
 * @param beta    {@code [B, T, H]} the writing strength per step
 * @param logGate {@code [B, T, H]} the log of the scalar decay {@code g = log alpha_t}, or null for the
 *                ungated delta rule
 * @param h0      {@code [B, H, K, V]} the initial state, or null for zeros
 * @param scale   the factor applied to every query
 */
public record DeltaInputs(float[] q, float[] k, float[] v, float[] beta, float[] logGate, float[] h0, float scale,
                          int batch, int seqLen, int heads, int keyDim, int valueDim) {
    /** The number of elements of the state of all (batch entry, head) pairs. */
    public int stateSize() {
        return batch * heads * keyDim * valueDim;
    }
}
