package dev.recur.layers.attention;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.attention.CacheLayout;

/**
 * The storage behind a decoding {@link KvCache}: keys and values in {@link CacheLayout} with room to append, so a
 * step writes one token instead of copying the cache. Several caches may share one buffer (each a prefix of it);
 * only the one that ends where the buffer's written part ends may append in place, and any other (an older state
 * kept by a caller, a fork) gets a copy. So a cache, once made, never sees its tokens change.
 */
final class KvBuffer {
    /** Slots of a first buffer; growth doubles. */
    private static final int MIN_CAPACITY = 64;

    final CacheLayout layout;
    final float[] keys;
    final float[] values;
    /** Tokens written so far; the newest cache over this buffer has exactly this length. */
    private int filled;

    private KvBuffer(CacheLayout layout, int filled) {
        if (layout.size() > Integer.MAX_VALUE - 8) {
            throw new RecurException("kv cache: " + layout.capacity() + " tokens of " + layout.batch() + " x "
                    + layout.kvHeads() + " x " + layout.headDim() + " floats do not fit one array");
        }
        this.layout = layout;
        this.keys = new float[(int) layout.size()];
        this.values = new float[(int) layout.size()];
        this.filled = filled;
    }

    /** An empty buffer for {@code batch} streams. */
    static KvBuffer empty(int batch, int kvHeads, int headDim) {
        return new KvBuffer(new CacheLayout(batch, kvHeads, headDim, 0), 0);
    }

    /** A buffer holding {@code keys} and {@code values} {@code [B, kvHeads, C, headDim]}, with room to grow. */
    static KvBuffer of(float[] keys, float[] values, int batch, int kvHeads, int length, int headDim) {
        KvBuffer b = new KvBuffer(new CacheLayout(batch, kvHeads, headDim, grown(0, length + 1)), length);
        for (int row = 0; row < batch * kvHeads; row++) {
            for (int j = 0; j < length; j++) {
                int src = (row * length + j) * headDim;
                for (int d = 0; d < headDim; d++) {
                    b.keys[b.layout.key(row, d, j)] = keys[src + d];
                }
                System.arraycopy(values, src, b.values, b.layout.value(row, j), headDim);
            }
        }
        return b;
    }

    /**
     * The buffer that a cache of {@code length} tokens over this one appends token {@code length} into: this one
     * when that cache is the newest and there is room (claiming the slot), else a larger copy of its tokens.
     */
    KvBuffer forAppend(int length) {
        synchronized (this) {
            if (filled == length && length < layout.capacity()) {
                filled = length + 1;
                return this;
            }
        }
        KvBuffer copy = new KvBuffer(new CacheLayout(layout.batch(), layout.kvHeads(), layout.headDim(),
                grown(layout.capacity(), length + 1)), length + 1);
        int rows = layout.batch() * layout.kvHeads();
        // Whole blocks of keys: a block holds its tokens' every dimension, and blocks lie in token order.
        int blocks = (length + CacheLayout.BLOCK - 1) / CacheLayout.BLOCK;
        for (int row = 0; row < rows; row++) {
            System.arraycopy(keys, layout.key(row, 0, 0), copy.keys, copy.layout.key(row, 0, 0),
                    blocks * CacheLayout.BLOCK * layout.headDim());
            System.arraycopy(values, layout.value(row, 0), copy.values, copy.layout.value(row, 0),
                    length * layout.headDim());
        }
        return copy;
    }

    /** Writes token {@code slot}'s keys and values, each {@code [B, kvHeads, headDim]}. */
    void write(int slot, float[] newKeys, float[] newValues) {
        int headDim = layout.headDim();
        for (int row = 0; row < layout.batch() * layout.kvHeads(); row++) {
            for (int d = 0; d < headDim; d++) {
                keys[layout.key(row, d, slot)] = newKeys[row * headDim + d];
            }
            System.arraycopy(newValues, row * headDim, values, layout.value(row, slot), headDim);
        }
    }

    /** The first {@code length} tokens as {@code [B, kvHeads, length, headDim]}: keys when {@code keys}. */
    float[] copyOut(int length, boolean wantKeys) {
        int headDim = layout.headDim();
        int rows = layout.batch() * layout.kvHeads();
        float[] out = new float[rows * length * headDim];
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < length; j++) {
                int dst = (row * length + j) * headDim;
                if (wantKeys) {
                    for (int d = 0; d < headDim; d++) {
                        out[dst + d] = keys[layout.key(row, d, j)];
                    }
                } else {
                    System.arraycopy(values, layout.value(row, j), out, dst, headDim);
                }
            }
        }
        return out;
    }

    /** A capacity of at least {@code needed} slots: doubling from {@code capacity}, never below the minimum. */
    private static int grown(int capacity, int needed) {
        long c = Math.max(MIN_CAPACITY, capacity);
        while (c < needed) {
            c *= 2;
        }
        return (int) Math.min(c, Integer.MAX_VALUE);
    }
}
