package dev.recur.core.io;

import java.util.Arrays;

/**
 * One tensor of a {@code torch.save} state dict: its name, element type, shape and strides (in elements), and the
 * storage it views: the storage's key (its record {@code data/<key>} in the archive), its length in elements,
 * where its bytes start in the file, and the tensor's first element within it. Views that share a storage (a
 * transposed or sliced tensor saved beside its base) point at the same bytes.
 */
public record PtTensorInfo(String name, DType dtype, long[] shape, long[] stride, long storageOffset,
                           String storageKey, long storageNumel, long storageFileOffset) implements TensorEntry {
    public PtTensorInfo {
        shape = shape.clone();
        stride = stride.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Strides in elements, one per dimension. */
    @Override
    public long[] stride() {
        return stride.clone();
    }

    /** True when the elements lie in row-major order one after another in the storage. */
    public boolean contiguous() {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && stride[i] != expected) {
                return false;
            }
            expected *= shape[i];
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PtTensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(stride, t.stride) && storageOffset == t.storageOffset
                && storageKey.equals(t.storageKey) && storageNumel == t.storageNumel
                && storageFileOffset == t.storageFileOffset;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + storageKey.hashCode();
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " stride " + Arrays.toString(stride)
                + " storage " + storageKey + "+" + storageOffset;
    }
}
