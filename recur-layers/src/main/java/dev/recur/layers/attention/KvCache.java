package dev.recur.layers.attention;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The keys (already rotated) and values of earlier tokens, {@code [B, kvHeads, C, headDim]} each, oldest
 * first; slot {@code s} holds the token at position {@code position - C + s}. A sliding-window cache keeps
 * {@code C = window - 1} slots from the start (those before position 0 are zeros that the mask hides), so its
 * shape never changes; an unbounded cache grows by each chunk.
 */
public record KvCache(Tensor keys, Tensor values) {
    public KvCache {
        if (keys == null || values == null) {
            throw new RecurException("kv cache: keys and values are required");
        }
        Shapes.requireRank("kv cache", "keys [B, kvHeads, C, headDim]", keys, 4);
        Shapes.require("kv cache", "values (same as keys)", keys.shape(), values.shape());
    }

    /** The cache before any token, for {@code batch} streams. */
    public static KvCache empty(AttentionConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("kv cache: batch must be > 0, got " + batch);
        }
        int c = config.cacheLength(0);
        return new KvCache(Tensor.zeros(batch, config.kvHeads(), c, config.headDim()),
                Tensor.zeros(batch, config.kvHeads(), c, config.headDim()));
    }

    /** Checks the shape a cache must have before a chunk of {@code batch} streams starting at {@code position}. */
    public void check(AttentionConfig config, int batch, long position, String where) {
        int[] expected = {batch, config.kvHeads(), config.cacheLength(position), config.headDim()};
        Shapes.require(where, "cached keys at position " + position, expected, keys.shape());
    }

    /** Cut from the autograd graph. */
    public KvCache detach() {
        return new KvCache(keys.detach(), values.detach());
    }
}
