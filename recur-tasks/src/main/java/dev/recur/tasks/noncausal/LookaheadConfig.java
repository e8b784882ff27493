package dev.recur.tasks.noncausal;

import dev.recur.core.RecurException;
import dev.recur.tasks.TaskParams;

/**
 * The parameters of {@link LookaheadTask}.
 *
 * @param vocabSize ids in {@code [0, vocabSize)}, all uniform
 * @param seqLen    input positions per example
 * @param offset    how far ahead the answer lies: the target at {@code t} is the input at {@code t + offset}
 */
public record LookaheadConfig(int vocabSize, int seqLen, int offset) {
    /** The defaults: 16 ids, 64 positions, 3 ahead. */
    public static final LookaheadConfig DEFAULT = new LookaheadConfig(16, 64, 3);

    public LookaheadConfig {
        if (vocabSize < 2) {
            throw new RecurException("lookahead: vocab_size expected >= 2, got " + vocabSize);
        }
        if (offset < 1) {
            throw new RecurException("lookahead: offset expected >= 1, got " + offset);
        }
        if (seqLen <= offset) {
            throw new RecurException("lookahead: seq_len expected > offset = " + offset + ", got " + seqLen);
        }
    }

    /** The configuration from registry parameter values. */
    public static LookaheadConfig from(TaskParams p) {
        return new LookaheadConfig(p.integer("vocab_size"), p.integer("seq_len"), p.integer("offset"));
    }
}
