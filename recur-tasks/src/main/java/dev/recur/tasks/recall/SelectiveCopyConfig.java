package dev.recur.tasks.recall;

import dev.recur.core.RecurException;
import dev.recur.tasks.TaskParams;

/**
 * The parameters of {@link SelectiveCopyTask}. The Mamba paper's setting (section 4.1.1 and appendix E.1): 16 data
 * tokens to copy, a vocabulary of 16, sequences of 4096.
 *
 * @param vocabSize ids in {@code [0, vocabSize)}: 0 is noise, {@code vocabSize - 1} the copy marker, the rest data
 * @param seqLen input positions per example: a region of {@code seqLen - numTokens} positions, then the markers
 * @param numTokens data tokens scattered in the region and copied after it
 */
public record SelectiveCopyConfig(int vocabSize, int seqLen, int numTokens) {
    public static final SelectiveCopyConfig MAMBA = new SelectiveCopyConfig(16, 4096, 16);

    public SelectiveCopyConfig {
        if (vocabSize < 3) {
            throw new RecurException("selective-copy: vocab_size expected >= 3 (noise, marker, one data id), got "
                    + vocabSize);
        }
        if (numTokens < 1) {
            throw new RecurException("selective-copy: num_tokens expected >= 1, got " + numTokens);
        }
        if (seqLen < 2 * numTokens) {
            throw new RecurException("selective-copy: seq_len expected >= 2 * num_tokens = " + 2 * numTokens
                    + ", got " + seqLen);
        }
    }

    /** The configuration from registry parameter values. */
    public static SelectiveCopyConfig from(TaskParams p) {
        return new SelectiveCopyConfig(p.integer("vocab_size"), p.integer("seq_len"), p.integer("num_tokens"));
    }
}
