package dev.recur.onnx.graph;

import java.util.Arrays;

/** Checks on a node's inputs at run time, each error naming the node and the input. */
public final class Inputs {
    private Inputs() {}

    /** Input {@code i}, which the operator requires. */
    public static Value required(NodeLabel label, Value[] in, int i, String name) {
        if (i >= in.length || in[i] == null) {
            throw label.error("input " + i + " (" + name + ") is required");
        }
        return in[i];
    }

    /** Input {@code i}, or null when the node leaves it out. */
    public static Value optional(Value[] in, int i) {
        return i < in.length ? in[i] : null;
    }

    /** A float input. */
    public static Value requireFloat(NodeLabel label, Value v, String name) {
        if (!v.isFloat()) {
            throw label.error("input " + name + " expected float values, got " + v.describe());
        }
        return v;
    }

    /** The values of an int64 input of rank 0 or 1 (axes, shapes, starts). */
    public static long[] integers(NodeLabel label, Value v, String name) {
        if (v.isFloat() || v.rank() > 1) {
            throw label.error("input " + name + " expected a 1-D int64 tensor, got " + v.describe());
        }
        return v.longData(label + ": " + name).clone();
    }

    /** Throws unless {@code v} has rank {@code rank}. */
    public static void requireRank(NodeLabel label, Value v, String name, int rank) {
        if (v.rank() != rank) {
            throw label.error("input " + name + " expected rank " + rank + ", got shape " + Arrays.toString(v.shape()));
        }
    }

    /** Resolves a possibly negative {@code axis} against {@code rank}. */
    public static int axis(NodeLabel label, long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw label.error("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    /** Row-major strides of {@code shape}, in elements. */
    static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Number of elements of {@code shape}, refusing more than 2^31-1. */
    static int count(NodeLabel label, int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw label.error("output shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }
}
