package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import java.util.Arrays;

/** Validation of integer ids (tokens, class targets) against a vocabulary size, shared by the ops that take them. */
final class IdChecks {
    private IdChecks() {}

    /**
     * Throws unless every id lies in {@code [0, bound)} or equals {@code allowed}, naming the op, the first bad
     * id's position and value, and the valid range.
     */
    static void requireInRange(String op, String what, IntTensor ids, int bound, int allowed, boolean hasAllowed) {
        int[] d = ids.data();
        for (int i = 0; i < d.length; i++) {
            int v = d[i];
            if ((v < 0 || v >= bound) && !(hasAllowed && v == allowed)) {
                throw new RecurException(op + ": " + what + " at position " + position(i, ids.shape()) + " is " + v
                        + ", expected a value in [0, " + bound + ")"
                        + (hasAllowed ? " or the ignore index " + allowed : ""));
            }
        }
    }

    /** The multi-index of a flat row-major offset, as {@code [1, 2]}. */
    static String position(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = flat % shape[a];
            flat /= shape[a];
        }
        return Arrays.toString(idx);
    }
}
