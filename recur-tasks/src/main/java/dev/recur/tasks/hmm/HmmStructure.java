package dev.recur.tasks.hmm;

/** Which state-to-state transitions a hidden Markov model allows. */
public enum HmmStructure {
    /** Every state can move to every state. */
    FULL("full"),
    /** A directed ring: state {@code i} stays or moves to {@code i + 1 mod S}. */
    CYCLIC("cyclic"),
    /** A line: state {@code i} stays or moves to a neighbour {@code i - 1} or {@code i + 1} (no wrap-around). */
    CHAIN("chain");

    private final String label;

    HmmStructure(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the move {@code from -> to} is allowed among {@code states} states. */
    public boolean allows(int from, int to, int states) {
        return switch (this) {
            case FULL -> true;
            case CYCLIC -> to == from || to == (from + 1) % states;
            case CHAIN -> Math.abs(to - from) <= 1;
        };
    }

    /** The structure called {@code label}; null if there is none. */
    public static HmmStructure byLabel(String label) {
        for (HmmStructure s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        return null;
    }
}
