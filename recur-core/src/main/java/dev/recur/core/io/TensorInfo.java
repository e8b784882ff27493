package dev.recur.core.io;

import java.util.Arrays;

/**
 * One tensor's entry in a safetensors header: its name, element type, shape, and the byte range
 * {@code [begin, end)} of its data, relative to the start of the data section (just after the header).
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) implements TensorEntry {
    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements (1 for a scalar of shape {@code []}); the header was checked not to overflow. */
    @Override
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of data, {@code end - begin}. */
    public long byteLength() {
        return end - begin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape) + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
