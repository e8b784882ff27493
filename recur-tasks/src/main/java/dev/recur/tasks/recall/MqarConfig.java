package dev.recur.tasks.recall;

import dev.recur.core.RecurException;
import dev.recur.tasks.TaskParams;

/**
 * The parameters of {@link MqarTask}. Zoology's defaults: a vocabulary of 8192, sequences of 64 tokens holding
 * 8 key-value pairs, query gaps drawn with power-law exponent {@code a = 0.01}.
 *
 * @param vocabSize ids are in {@code [0, vocabSize)}; keys come from {@code [1, vocabSize/2)}, values from
 *     {@code [vocabSize/2, vocabSize)}
 * @param seqLen input positions per example
 * @param numPairs key-value pairs in the context, each queried once
 * @param powerA the exponent {@code a} of the query-gap distribution {@code p(g) ~ a * g^(a-1)}, in (0, 1]
 */
public record MqarConfig(int vocabSize, int seqLen, int numPairs, double powerA) {
    public static final MqarConfig ZOOLOGY = new MqarConfig(8192, 64, 8, 0.01);

    public MqarConfig {
        if (numPairs < 1) {
            throw new RecurException("mqar: num_pairs expected >= 1, got " + numPairs);
        }
        if (vocabSize / 2 - 1 < numPairs) {
            throw new RecurException("mqar: vocab_size expected >= 2 * (num_pairs + 1) = " + 2 * (numPairs + 1)
                    + " so that " + numPairs + " distinct keys fit in [1, vocab_size/2), got " + vocabSize);
        }
        if (seqLen < 4 * numPairs) {
            throw new RecurException("mqar: seq_len expected >= 4 * num_pairs = " + 4 * numPairs
                    + " (the pairs, then a query slot every other position), got " + seqLen);
        }
        if (!(powerA > 0 && powerA <= 1)) {
            throw new RecurException("mqar: power_a expected in (0, 1], got " + powerA);
        }
    }

    /** The configuration from registry parameter values. */
    public static MqarConfig from(TaskParams p) {
        return new MqarConfig(p.integer("vocab_size"), p.integer("seq_len"), p.integer("num_pairs"), p.real("power_a"));
    }
}
