package dev.recur.tasks.memory;

/** The two memory tasks of Khajehabdollahi et al. 2023, each indexed by its memory length {@code N}. */
public enum MemoryKind {
    /** N-parity: the parity of the last {@code N} bits, the current one included. */
    PARITY("parity"),
    /** N-delayed match to sample: whether the current bit equals the bit {@code N} steps back. */
    DMS("dms");

    private final String taskName;

    MemoryKind(String taskName) {
        this.taskName = taskName;
    }

    /** The registry name. */
    public String taskName() {
        return taskName;
    }

    /** The first position with a defined target for memory length {@code n}. */
    public int firstAnswer(int n) {
        return this == PARITY ? n - 1 : n;
    }

    /** The target at position {@code t} (at least {@link #firstAnswer(int)}) of the bit sequence {@code bits}. */
    int target(int[] bits, int offset, int t, int n) {
        if (this == PARITY) {
            int sum = 0;
            for (int k = t - n + 1; k <= t; k++) {
                sum += bits[offset + k];
            }
            return sum & 1;
        }
        return bits[offset + t] == bits[offset + t - n] ? 1 : 0;
    }
}
