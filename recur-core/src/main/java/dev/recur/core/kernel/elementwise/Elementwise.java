package dev.recur.core.kernel.elementwise;

import dev.recur.core.kernel.KernelMode;

/**
 * The elementwise kernel that {@link KernelMode} selects; ops call {@link #kernel()}. The vector kernel spreads
 * long slices over the compute pool ({@link ElementwiseParallel}); the reference kernel stays on one thread.
 */
public final class Elementwise {
    private static final ElementwiseKernel REFERENCE = new ElementwiseReference();
    private static final ElementwiseKernel VECTOR = new ElementwiseParallel(new ElementwiseVector());
    private static final ElementwiseKernel CURRENT = kernel(KernelMode.current());

    private Elementwise() {}

    /** The kernel for this JVM's mode. */
    public static ElementwiseKernel kernel() {
        return CURRENT;
    }

    /** The kernel for a given mode (tests and benchmarks compare both). */
    public static ElementwiseKernel kernel(KernelMode mode) {
        return mode == KernelMode.VECTOR ? VECTOR : REFERENCE;
    }
}
