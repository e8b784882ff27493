package dev.recur.layers.depth;

/**
 * What a streaming call of a {@link UniversalTransformer} returns: the ACT results of the chunk's tokens and
 * the state after them, to pass to the next call.
 *
 * @param act   outputs, halting counts, remainders and ponder costs of the chunk (from
 *              {@link UniversalTransformer#step} without the time axis)
 * @param state the keys and values of every token so far, per depth step, and the position
 */
public record UniversalTransformerOutput(ActResult act, UniversalTransformerState state) {}
