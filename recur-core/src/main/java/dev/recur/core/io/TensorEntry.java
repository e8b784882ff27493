package dev.recur.core.io;

/** What a tensor file says about one tensor before it is read: its name, element type and shape. */
public interface TensorEntry {
    String name();

    DType dtype();

    /** The shape, a fresh copy ({@code []} for a scalar). */
    long[] shape();

    /** Number of elements (1 for a scalar); the reader checked it does not overflow. */
    default long numel() {
        long n = 1;
        for (long d : shape()) {
            n *= d;
        }
        return n;
    }
}
