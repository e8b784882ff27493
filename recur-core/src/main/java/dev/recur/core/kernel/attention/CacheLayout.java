package dev.recur.core.kernel.attention;

import jdk.incubator.vector.FloatVector;

/**
 * Where a cached token lives in the buffers {@link CachedAttention} reads. For stream {@code b} and key/value head
 * {@code g} ({@code row = b * kvHeads + g}), the keys are stored transposed in blocks of {@link #BLOCK} tokens,
 * {@code [capacity / BLOCK, headDim, BLOCK]} per row, so that one vector holds the same dimension of consecutive
 * tokens (the scores of several tokens are then plain lane-wise fma chains) and a block of tokens is one contiguous
 * run of memory (a key matrix transposed whole puts its dimensions {@code capacity} floats apart, more streams
 * than the prefetchers follow); the values are {@code [capacity, headDim]} per row. Slots {@code [0, length)} hold
 * the tokens, oldest first; the rest is room to append into. The last block is padded to a whole block.
 *
 * @param batch    streams
 * @param kvHeads  key/value heads
 * @param headDim  dimensions per head
 * @param capacity token slots per row
 */
public record CacheLayout(int batch, int kvHeads, int headDim, int capacity) {
    /** Tokens per block of transposed keys: four vectors of the preferred species. */
    public static final int BLOCK = 4 * FloatVector.SPECIES_PREFERRED.length();

    /** Floats of one row's keys (and of its values): whole blocks. */
    public int rowSize() {
        return headDim * ((capacity + BLOCK - 1) / BLOCK * BLOCK);
    }

    /** Index of key dimension {@code d} of token {@code slot} in row {@code row}. */
    public int key(int row, int d, int slot) {
        return row * rowSize() + (slot / BLOCK) * (headDim * BLOCK) + d * BLOCK + slot % BLOCK;
    }

    /** Index of value dimension 0 of token {@code slot} in row {@code row}. */
    public int value(int row, int slot) {
        return row * rowSize() + slot * headDim;
    }

    /** Floats of one whole buffer. */
    public long size() {
        return (long) batch * kvHeads * rowSize();
    }
}
