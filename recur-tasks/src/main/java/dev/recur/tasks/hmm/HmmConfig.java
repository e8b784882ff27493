package dev.recur.tasks.hmm;

import dev.recur.core.RecurException;
import dev.recur.tasks.TaskParams;
import java.util.Arrays;

/**
 * The parameters of {@link HmmTask}.
 *
 * @param states hidden states {@code S}, at least 2
 * @param vocabSize emitted ids {@code V}, at least 2
 * @param structure which transitions are allowed
 * @param seqLen input positions per example (each example emits {@code seqLen + 1} ids)
 * @param concentration the Dirichlet concentration of every transition and emission row; below 1 gives peaked,
 *     more predictable rows
 */
public record HmmConfig(int states, int vocabSize, HmmStructure structure, int seqLen, double concentration) {
    public HmmConfig {
        if (states < 2 || vocabSize < 2 || seqLen < 1) {
            throw new RecurException("hmm: expected states >= 2, vocab_size >= 2, seq_len >= 1, got states " + states
                    + ", vocab_size " + vocabSize + ", seq_len " + seqLen);
        }
        if (structure == null) {
            throw new RecurException("hmm: expected a structure, one of " + Arrays.toString(HmmStructure.values()));
        }
        if (!(concentration >= 0.05 && concentration <= 100)) {
            throw new RecurException("hmm: concentration expected in [0.05, 100], got " + concentration);
        }
    }

    /** The configuration from registry parameter values. */
    public static HmmConfig from(TaskParams p) {
        String label = p.string("structure");
        HmmStructure s = HmmStructure.byLabel(label);
        if (s == null) {
            throw new RecurException("task hmm: parameter structure expected full, cyclic or chain, got '" + label
                    + "'");
        }
        return new HmmConfig(p.integer("states"), p.integer("vocab_size"), s, p.integer("seq_len"),
                p.real("concentration"));
    }
}
