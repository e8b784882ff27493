package dev.recur.onnx.graph;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * A tensor flowing through an ONNX graph: row-major values of one of two kinds, float32 ({@link Kind#FLOAT},
 * which also holds what was stored as double or 16-bit floats) or int64 ({@link Kind#INT64}, which also holds
 * the narrower integer types and booleans). A shape of rank 0 is a scalar. Values are never modified in place.
 */
public final class Value {
    /** What the values are. */
    public enum Kind {
        FLOAT,
        INT64
    }

    private final int[] shape;
    private final float[] floats;   // null unless FLOAT
    private final long[] longs;     // null unless INT64

    private Value(int[] shape, float[] floats, long[] longs) {
        int n = Shapes.numel(shape);
        int got = floats != null ? floats.length : longs.length;
        if (got != n) {
            throw new RecurException("onnx value: shape " + Shapes.format(shape) + " needs " + n + " values, got "
                    + got);
        }
        this.shape = shape.clone();
        this.floats = floats;
        this.longs = longs;
    }

    /** Float values (not copied) of the given shape. */
    public static Value floats(float[] data, int... shape) {
        return new Value(shape, data, null);
    }

    /** Int64 values (not copied) of the given shape. */
    public static Value longs(long[] data, int... shape) {
        return new Value(shape, null, data);
    }

    /** A Recur tensor's values (not copied) and shape. */
    public static Value of(Tensor t) {
        return floats(t.data(), t.shape());
    }

    /** Token ids as int64. */
    public static Value of(IntTensor ids) {
        int[] d = ids.data();
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = d[i];
        }
        return longs(l, ids.shape());
    }

    public Kind kind() {
        return floats != null ? Kind.FLOAT : Kind.INT64;
    }

    public boolean isFloat() {
        return floats != null;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Dimension {@code axis}; negative counts from the end. */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** The float values (not a copy); {@code what} names the value in the error when it holds integers. */
    public float[] floatData(String what) {
        if (floats == null) {
            throw new RecurException(what + ": expected float values, got int64");
        }
        return floats;
    }

    /** The int64 values (not a copy); {@code what} names the value in the error when it holds floats. */
    public long[] longData(String what) {
        if (longs == null) {
            throw new RecurException(what + ": expected integer values, got float");
        }
        return longs;
    }

    /** A Recur tensor over the same float values (not copied). */
    public Tensor toTensor(String what) {
        return Tensor.of(floatData(what), shape);
    }

    /** The values as float, converting integers (for comparisons and printing). */
    public float[] asFloats() {
        if (floats != null) {
            return floats;
        }
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
    }

    /** The same values under another shape with as many elements. */
    public Value reshaped(int... newShape) {
        return floats != null ? floats(floats, newShape) : longs(longs, newShape);
    }

    /**
     * A value of shape {@code newShape} whose element {@code i} is this value's element {@code source[i]}: the
     * one copy behind transposes, slices, concatenations' parts and gathers.
     */
    public Value select(int[] newShape, int[] source) {
        if (floats != null) {
            float[] out = new float[source.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = floats[source[i]];
            }
            return floats(out, newShape);
        }
        long[] out = new long[source.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = longs[source[i]];
        }
        return longs(out, newShape);
    }

    /** "float [2, 3]". */
    public String describe() {
        return (floats != null ? "float " : "int64 ") + Arrays.toString(shape);
    }

    @Override
    public String toString() {
        return describe();
    }
}
