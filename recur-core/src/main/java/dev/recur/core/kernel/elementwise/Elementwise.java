package dev.recur.core.kernel.elementwise;

import dev.recur.core.kernel.KernelMode;

/** The elementwise kernel that {@link KernelMode} selects; ops call {@link #kernel()}. */
public final class Elementwise {
    private static final ElementwiseKernel REFERENCE = new ElementwiseReference();
    private static final ElementwiseKernel VECTOR = new ElementwiseVector();
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
