package dev.recur.tasks.memory;

import dev.recur.core.RecurException;

/**
 * The curricula of Khajehabdollahi et al. 2023 for N-parity and N-DMS, which raise the memory length {@code N}
 * as the model masters it.
 *
 * <ul>
 *   <li>{@link Mode#SINGLE} (single-head): the task is {@code N} alone; the model's one head answers for the
 *   current {@code N}.</li>
 *   <li>{@link Mode#MULTI} (multi-head): the task has one head for each length from the start length to the
 *   current {@code N}; raising {@code N} adds a head and keeps training the earlier ones.</li>
 * </ul>
 * The rule: after each evaluation, {@link #update(double[])} raises {@code N} by one when the accuracy of every
 * head is at least the threshold (single-head: its one head), until {@code maxN}. The accuracies come from
 * {@link dev.recur.tasks.AnswerAccuracy} on held-out batches of {@link #task(long)}.
 */
public final class MemoryCurriculum {
    /** Single-head or multi-head. */
    public enum Mode { SINGLE, MULTI }

    private final MemoryKind kind;
    private final Mode mode;
    private final int startN;
    private final int maxN;
    private final int seqLen;
    private final double threshold;
    private int n;

    /**
     * @param startN the first memory length (and the smallest head's in multi-head mode), at least 1
     * @param maxN the last memory length, at least {@code startN}
     * @param seqLen bits per example; must exceed {@code maxN}
     * @param threshold the accuracy, in (0, 1], every head must reach before {@code N} rises
     */
    public MemoryCurriculum(MemoryKind kind, Mode mode, int startN, int maxN, int seqLen, double threshold) {
        if (startN < 1 || maxN < startN) {
            throw new RecurException(kind.taskName() + " curriculum: expected 1 <= startN <= maxN, got startN "
                    + startN + ", maxN " + maxN);
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new RecurException(kind.taskName() + " curriculum: threshold expected in (0, 1], got " + threshold);
        }
        // the last stage must fit the sequence; building its configuration checks that now, not mid-training
        MemoryConfig.single(kind, maxN, seqLen);
        this.kind = kind;
        this.mode = mode;
        this.startN = startN;
        this.maxN = maxN;
        this.seqLen = seqLen;
        this.threshold = threshold;
        this.n = startN;
    }

    /** The current memory length. */
    public int n() {
        return n;
    }

    /** Whether {@code N} has reached {@code maxN}. */
    public boolean atMax() {
        return n == maxN;
    }

    /** Resumes at memory length {@code n} (a checkpoint's value). */
    public void restore(int resumeN) {
        if (resumeN < startN || resumeN > maxN) {
            throw new RecurException(kind.taskName() + " curriculum: expected N in [" + startN + ", " + maxN
                    + "], got " + resumeN);
        }
        this.n = resumeN;
    }

    /** The task at the current stage. */
    public MemoryConfig config() {
        return mode == Mode.SINGLE ? MemoryConfig.single(kind, n, seqLen) : MemoryConfig.multi(kind, startN, n, seqLen);
    }

    /** The task at the current stage, drawing from {@code seed}. */
    public MemoryTask task(long seed) {
        return new MemoryTask(config(), seed);
    }

    /**
     * Applies the rule to one evaluation's accuracy per head (in the current task's head order).
     *
     * @return whether {@code N} rose
     */
    public boolean update(double[] headAccuracy) {
        int heads = config().heads();
        if (headAccuracy.length != heads) {
            throw new RecurException(kind.taskName() + " curriculum: expected " + heads + " head accuracies, got "
                    + headAccuracy.length);
        }
        for (double a : headAccuracy) {
            if (!(a >= threshold)) {
                return false;
            }
        }
        if (n == maxN) {
            return false;
        }
        n++;
        return true;
    }
}
