package dev.recur.layers.attention;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.attention.CacheLayout;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The keys (already rotated) and values of earlier tokens, {@code [B, kvHeads, C, headDim]} each, oldest
 * first; slot {@code s} holds the token at position {@code position - C + s}. A sliding-window cache keeps
 * {@code C = window - 1} slots from the start (those before position 0 are zeros that the mask hides), so its
 * shape never changes; an unbounded cache grows by each chunk. Immutable.
 *
 * <p>A cache is held one of two ways. As tensors, when made from them (a state read back, a training chunk
 * whose gradients reach the cache): attention concatenates the chunk's keys to them. As a decoding buffer, when
 * {@link #empty} starts an unbounded cache: then a one-token step without gradients appends in place, with
 * amortised growth, and attends to the buffer where it lies ({@link dev.recur.core.kernel.attention.CachedAttention}),
 * so a step costs what it reads, not a copy of the whole cache. {@link #keys()} and {@link #values()} give tensors
 * either way (copied out of a buffer when asked).
 */
public final class KvCache {
    private final KvBuffer buffer; // null when held as tensors
    private final int length;
    private Tensor keys;
    private Tensor values;

    /** A cache held as the tensors {@code keys} and {@code values}, {@code [B, kvHeads, C, headDim]}. */
    public KvCache(Tensor keys, Tensor values) {
        if (keys == null || values == null) {
            throw new RecurException("kv cache: keys and values are required");
        }
        Shapes.requireRank("kv cache", "keys [B, kvHeads, C, headDim]", keys, 4);
        Shapes.require("kv cache", "values (same as keys)", keys.shape(), values.shape());
        this.buffer = null;
        this.length = keys.dim(2);
        this.keys = keys;
        this.values = values;
    }

    private KvCache(KvBuffer buffer, int length) {
        this.buffer = buffer;
        this.length = length;
    }

    /**
     * The cache before any token, for {@code batch} streams: a decoding buffer when unbounded, zeros of the
     * window's size otherwise.
     */
    public static KvCache empty(AttentionConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("kv cache: batch must be > 0, got " + batch);
        }
        if (config.window() == 0) {
            return new KvCache(KvBuffer.empty(batch, config.kvHeads(), config.headDim()), 0);
        }
        int c = config.cacheLength(0);
        return new KvCache(Tensor.zeros(batch, config.kvHeads(), c, config.headDim()),
                Tensor.zeros(batch, config.kvHeads(), c, config.headDim()));
    }

    /** The keys {@code [B, kvHeads, C, headDim]}. */
    public synchronized Tensor keys() {
        if (keys == null) {
            keys = Tensor.of(buffer.copyOut(length, true), shape());
        }
        return keys;
    }

    /** The values {@code [B, kvHeads, C, headDim]}. */
    public synchronized Tensor values() {
        if (values == null) {
            values = Tensor.of(buffer.copyOut(length, false), shape());
        }
        return values;
    }

    /** Tokens held, {@code C}. */
    public int length() {
        return length;
    }

    /** Checks the shape a cache must have before a chunk of {@code batch} streams starting at {@code position}. */
    public void check(AttentionConfig config, int batch, long position, String where) {
        int[] expected = {batch, config.kvHeads(), config.cacheLength(position), config.headDim()};
        Shapes.require(where, "cached keys at position " + position, expected, shape());
    }

    /** Cut from the autograd graph (a decoding buffer never is on it). */
    public KvCache detach() {
        return buffer != null ? this : new KvCache(keys.detach(), values.detach());
    }

    /** Whether this cache is a decoding buffer that a step can append to in place. */
    boolean buffered() {
        return buffer != null;
    }

    /** The same tokens as a decoding buffer, with room to append (a copy, unless already one). */
    KvCache toBuffer() {
        if (buffer != null) {
            return this;
        }
        return new KvCache(KvBuffer.of(keys.data(), values.data(), keys.dim(0), keys.dim(1), length, keys.dim(3)),
                length);
    }

    /** This buffer's tokens and one more, whose rotated keys and values are {@code [B, kvHeads, headDim]}. */
    KvCache append(float[] newKeys, float[] newValues) {
        KvBuffer target = buffer.forAppend(length);
        target.write(length, newKeys, newValues);
        return new KvCache(target, length + 1);
    }

    /** Where a buffer's tokens lie, for the kernel that reads them. */
    CacheLayout layout() {
        return buffer.layout;
    }

    float[] keyBuffer() {
        return buffer.keys;
    }

    float[] valueBuffer() {
        return buffer.values;
    }

    private int[] shape() {
        if (buffer == null) {
            return keys.shape();
        }
        CacheLayout l = buffer.layout;
        return new int[] {l.batch(), l.kvHeads(), length, l.headDim()};
    }

    @Override
    public String toString() {
        return "KvCache" + Shapes.format(shape()) + (buffer != null ? " (buffer)" : "");
    }
}
