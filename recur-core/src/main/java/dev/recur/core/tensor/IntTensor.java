package dev.recur.core.tensor;

import dev.recur.core.RecurException;

/** A dense, row-major tensor of int32 values: token ids, labels, indices. Never differentiated. */
public final class IntTensor {
    private final int[] data;
    private final int[] shape;

    private IntTensor(int[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape. */
    public static IntTensor of(int[] data, int... shape) {
        int n = Shapes.numel(shape);
        if (data.length != n) {
            throw new RecurException("IntTensor.of: shape " + Shapes.format(shape) + " needs " + n
                    + " values, got " + data.length);
        }
        return new IntTensor(data, shape.clone());
    }

    public int[] data() {
        return data;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    public int size() {
        return data.length;
    }

    @Override
    public String toString() {
        return "IntTensor" + Shapes.format(shape);
    }
}
