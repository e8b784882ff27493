package dev.recur.core.kernel.attention;

/**
 * Where a cached token lives in the buffers {@link CachedAttention} reads. For stream {@code b} and key/value head
 * {@code g} ({@code row = b * kvHeads + g}), the keys are stored transposed, {@code [headDim, capacity]} per row,
 * so that one vector holds the same dimension of consecutive tokens (the scores of several tokens are then plain
 * lane-wise fma chains); the values are {@code [capacity, headDim]} per row. Slots {@code [0, length)} hold the
 * tokens, oldest first; the rest is room to append into.
 *
 * @param batch    streams
 * @param kvHeads  key/value heads
 * @param headDim  dimensions per head
 * @param capacity token slots per row
 */
public record CacheLayout(int batch, int kvHeads, int headDim, int capacity) {
    /** Floats of one row's keys (and of its values). */
    public int rowSize() {
        return headDim * capacity;
    }

    /** Index of key dimension {@code d} of token {@code slot} in row {@code row}. */
    public int key(int row, int d, int slot) {
        return row * rowSize() + d * capacity + slot;
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
