package dev.recur.core.tensor;

import dev.recur.core.RecurException;
import java.util.Arrays;

/** Helpers for row-major shapes: element counts, strides, formatting and validation messages. */
public final class Shapes {
    private Shapes() {}

    /** Number of elements of a shape; rejects negative dimensions and counts past {@code Integer.MAX_VALUE}. */
    public static int numel(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new RecurException("shape " + format(shape) + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new RecurException("shape " + format(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /** Row-major strides, in elements. */
    public static int[] strides(int... shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Formats a shape as {@code [2, 3, 4]}. */
    public static String format(int... shape) {
        return Arrays.toString(shape);
    }

    /** Resolves a possibly negative axis ({@code -1} is the last) against a rank, naming the op on error. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new RecurException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    /** Throws unless {@code got} equals {@code expected}, naming the op and the argument. */
    public static void require(String op, String what, int[] expected, int[] got) {
        if (!Arrays.equals(expected, got)) {
            throw new RecurException(op + ": " + what + " expected shape " + format(expected) + ", got " + format(got));
        }
    }

    /** Throws unless the tensor has the given rank, naming the op and the argument. */
    public static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new RecurException(op + ": " + what + " expected rank " + rank + ", got shape " + format(t.shape()));
        }
    }

    /** Product of the dimensions in {@code [from, to)}. */
    public static int product(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }
}
