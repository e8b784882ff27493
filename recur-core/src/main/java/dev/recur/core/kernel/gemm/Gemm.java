package dev.recur.core.kernel.gemm;

import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;

/** The GEMM entry point: validates arguments and dispatches to the kernel that {@link KernelMode} selects. */
public final class Gemm {
    private static final GemmKernel REFERENCE = new GemmReference();
    private static final GemmKernel VECTOR = new GemmVector();

    private Gemm() {}

    /** The kernel for the current mode. */
    public static GemmKernel kernel() {
        return kernel(KernelMode.current());
    }

    /** The kernel for a given mode (tests and benchmarks compare both). */
    public static GemmKernel kernel(KernelMode mode) {
        return mode == KernelMode.VECTOR ? VECTOR : REFERENCE;
    }

    /** {@code C = (accumulate ? C : 0) + op(A) * op(B)}; see {@link GemmKernel}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc,
                             boolean accumulate) {
        kernel().sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    /**
     * Packs {@code op(B) [k, n]} (stored {@code [n, k]} when {@code transB}) once, for many products by the same
     * B; with the reference kernel selected it only remembers B. B must not change while the pack is in use.
     */
    public static GemmPackedB packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        return GemmPackedB.of(transB, k, n, b, bOff, ldb, KernelMode.current() == KernelMode.VECTOR);
    }

    /**
     * {@code C = (accumulate ? C : 0) + op(A) * op(B)} for a B packed by {@link #packB}: the same bits as
     * {@link #sgemm(boolean, boolean, int, int, int, float[], int, int, float[], int, int, float[], int, int,
     * boolean)} with B itself, without packing B again.
     */
    public static void sgemm(boolean transA, int m, float[] a, int aOff, int lda, GemmPackedB b,
                             float[] c, int cOff, int ldc, boolean accumulate) {
        if (b == null) {
            throw new RecurException("sgemm: expected a packed B, got null");
        }
        if (b.packed != null && KernelMode.current() == KernelMode.VECTOR) {
            ((GemmVector) VECTOR).sgemm(transA, m, a, aOff, lda, b, c, cOff, ldc, accumulate);
        } else {
            kernel().sgemm(transA, b.transB, m, b.n, b.k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc,
                    accumulate);
        }
    }

    /** Throws unless every element the multiply touches lies inside its array. */
    static void checkBounds(boolean transA, boolean transB, int m, int n, int k,
                            float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new RecurException("sgemm: negative size m=" + m + " n=" + n + " k=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k);
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n);
        checkMatrix("C", c, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        if (ld < cols || off < 0) {
            throw new RecurException("sgemm: " + name + " has row stride " + ld + " for " + cols
                    + " columns at offset " + off);
        }
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (last >= x.length) {
            throw new RecurException("sgemm: " + name + " [" + rows + "x" + cols + "] with stride " + ld
                    + " at offset " + off + " needs " + (last + 1) + " elements, array has " + x.length);
        }
    }
}
