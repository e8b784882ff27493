package dev.recur.core.kernel.rows;

import dev.recur.core.kernel.KernelMode;

/** The row-kernel entry point: the implementation {@link KernelMode} selects, or a given one for tests. */
public final class RowKernels {
    private static final SoftmaxRows SOFTMAX_REFERENCE = new SoftmaxRowsReference();
    private static final SoftmaxRows SOFTMAX_VECTOR = new SoftmaxRowsVector();
    private static final NormRows NORM_REFERENCE = new NormRowsReference();
    private static final NormRows NORM_VECTOR = new NormRowsVector();

    private RowKernels() {}

    public static SoftmaxRows softmax() {
        return softmax(KernelMode.current());
    }

    public static SoftmaxRows softmax(KernelMode mode) {
        return mode == KernelMode.VECTOR ? SOFTMAX_VECTOR : SOFTMAX_REFERENCE;
    }

    public static NormRows norm() {
        return norm(KernelMode.current());
    }

    public static NormRows norm(KernelMode mode) {
        return mode == KernelMode.VECTOR ? NORM_VECTOR : NORM_REFERENCE;
    }
}
