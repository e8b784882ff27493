package dev.recur.layers.rat;

import dev.recur.core.RecurException;

/**
 * The shape of a RAT layer.
 *
 * @param dModel   width of the layer's input and output
 * @param heads    attention heads
 * @param headDim  dimensions per head (queries, keys and values)
 * @param chunkLen tokens per chunk {@code L}: 1 gives softmax attention, the sequence length gives the pure
 *                 gated recurrence
 */
public record RatConfig(int dModel, int heads, int headDim, int chunkLen) {
    public RatConfig {
        if (dModel <= 0) {
            throw new RecurException("rat config: dModel must be > 0, got " + dModel);
        }
        if (heads <= 0) {
            throw new RecurException("rat config: heads must be > 0, got " + heads);
        }
        if (headDim <= 0) {
            throw new RecurException("rat config: headDim must be > 0, got " + headDim);
        }
        if (chunkLen <= 0) {
            throw new RecurException("rat config: chunkLen must be > 0, got " + chunkLen);
        }
    }

    /** Channels of the queries, keys and values: {@code heads * headDim}. */
    public int innerDim() {
        return heads * headDim;
    }
}
