package dev.recur.core.scan.gla;

/**
 * The operands of a gated linear-attention scan as flat row-major arrays, batch-first (validated by
 * {@link Gla}).
 *
 * @param q        {@code [B, T, H, K]} the queries
 * @param k        {@code [B, T, H, K]} the keys
 * @param v        {@code [B, T, H, V]} the values
 * @param logDecay {@code [B, T, H, K]} the log of the per-key-dimension decay {@code log alpha_t <= 0}, or null
 *                 for no decay (plain linear attention)
 * @param h0       {@code [B, H, K, V]} the initial state, or null for zeros
 * @param scale    the factor applied to every query
 */
public record GlaInputs(float[] q, float[] k, float[] v, float[] logDecay, float[] h0, float scale,
                        int batch, int seqLen, int heads, int keyDim, int valueDim) {
    /** The number of elements of the state of all (batch entry, head) pairs. */
    public int stateSize() {
        return batch * heads * keyDim * valueDim;
    }
}
