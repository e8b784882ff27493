package dev.recur.tasks.memory;

import dev.recur.core.RecurException;
import java.util.Arrays;

/**
 * The parameters of {@link MemoryTask}: which task, the memory lengths it asks for (one per output head) and the
 * sequence length.
 *
 * @param kind parity or delayed match to sample
 * @param ns the memory length of each output head, each at least 1, increasing; one entry for a single head
 * @param seqLen bits per example; must exceed the largest memory length
 */
public record MemoryConfig(MemoryKind kind, int[] ns, int seqLen) {
    public MemoryConfig {
        if (ns.length == 0) {
            throw new RecurException(kind.taskName() + ": expected at least one memory length N, got none");
        }
        ns = ns.clone();
        for (int h = 0; h < ns.length; h++) {
            if (ns[h] < 1 || (h > 0 && ns[h] <= ns[h - 1])) {
                throw new RecurException(kind.taskName() + ": expected increasing memory lengths N >= 1, got "
                        + Arrays.toString(ns));
            }
        }
        if (seqLen <= kind.firstAnswer(ns[ns.length - 1])) {
            throw new RecurException(kind.taskName() + ": seq_len expected > " + kind.firstAnswer(ns[ns.length - 1])
                    + " so that N = " + ns[ns.length - 1] + " has an answer, got " + seqLen);
        }
    }

    /** One head of memory length {@code n}. */
    public static MemoryConfig single(MemoryKind kind, int n, int seqLen) {
        return new MemoryConfig(kind, new int[] {n}, seqLen);
    }

    /** Heads for every memory length from {@code minN} to {@code n}. */
    public static MemoryConfig multi(MemoryKind kind, int minN, int n, int seqLen) {
        if (n < minN) {
            throw new RecurException(kind.taskName() + ": expected N >= " + minN + " for the multi-head task, got "
                    + n);
        }
        int[] ns = new int[n - minN + 1];
        for (int h = 0; h < ns.length; h++) {
            ns[h] = minN + h;
        }
        return new MemoryConfig(kind, ns, seqLen);
    }

    @Override
    public int[] ns() {
        return ns.clone();
    }

    public int heads() {
        return ns.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemoryConfig c && c.kind == kind && Arrays.equals(c.ns, ns) && c.seqLen == seqLen;
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + Arrays.hashCode(ns)) * 31 + seqLen;
    }

    @Override
    public String toString() {
        return "MemoryConfig[" + kind.taskName() + ", N=" + Arrays.toString(ns) + ", seqLen=" + seqLen + "]";
    }
}
