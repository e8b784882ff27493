package dev.recur.layers.attention;

import dev.recur.core.RecurException;

/**
 * The shape of a causal attention layer.
 *
 * @param heads      query heads
 * @param kvHeads    key/value heads; {@code heads} must be a multiple (equal: multi-head, 1: multi-query,
 *                   otherwise grouped-query, where query head {@code h} reads key/value head
 *                   {@code h / (heads / kvHeads)})
 * @param headDim    dimensions per head
 * @param rotaryDims leading dimensions of each query and key head that rotary embeddings rotate (even, at most
 *                   {@code headDim}; 0 disables them); the rest pass through unchanged
 * @param ropeTheta  the rotary base: dimension pair {@code i} turns by {@code position / theta^(2i / rotaryDims)}
 * @param window     tokens each query sees, itself included ({@code 0}: every earlier token)
 */
public record AttentionConfig(int heads, int kvHeads, int headDim, int rotaryDims, double ropeTheta, int window) {
    public AttentionConfig {
        if (heads <= 0 || kvHeads <= 0 || heads % kvHeads != 0) {
            throw new RecurException("attention config: heads must be a positive multiple of kvHeads, got heads="
                    + heads + ", kvHeads=" + kvHeads);
        }
        if (headDim <= 0) {
            throw new RecurException("attention config: headDim must be > 0, got " + headDim);
        }
        if (rotaryDims < 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new RecurException("attention config: rotaryDims must be even and in [0, " + headDim + "], got "
                    + rotaryDims);
        }
        if (rotaryDims > 0 && (!(ropeTheta > 0) || Double.isInfinite(ropeTheta))) {
            throw new RecurException("attention config: ropeTheta must be a positive finite number, got "
                    + ropeTheta);
        }
        if (window < 0) {
            throw new RecurException("attention config: window must be >= 0 (0 = unbounded), got " + window);
        }
    }

    /** Query heads that share one key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /**
     * Cached tokens a cache holds before a chunk starting at {@code position}: {@code window - 1} slots for a
     * sliding window (slots before position 0 are masked), every earlier token otherwise.
     */
    public int cacheLength(long position) {
        if (window > 0) {
            return window - 1;
        }
        if (position > Integer.MAX_VALUE) {
            throw new RecurException("attention: an unbounded cache cannot hold " + position + " tokens");
        }
        return (int) position;
    }
}
