package dev.recur.core.kernel.gemm;

/**
 * Single-precision matrix multiply on row-major arrays:
 * {@code C[m,n] = (accumulate ? C : 0) + op(A)[m,k] * op(B)[k,n]}, where {@code op(A)} is A, or A transposed
 * when {@code transA} (A is then stored as [k,m]). {@code lda}, {@code ldb}, {@code ldc} are row strides.
 */
public interface GemmKernel {
    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb,
               float[] c, int cOff, int ldc,
               boolean accumulate);
}
