package dev.recur.core.kernel.gemm;

import static dev.recur.core.kernel.gemm.GemmMicroKernel.NR;

import java.util.Arrays;

/**
 * Copies blocks of B into the contiguous panel layout that {@link GemmMicroKernel} streams through, so that its
 * vector loads are unit-stride whatever the transposition and leading dimension. Panels past the matrix edge are
 * zero-filled, which lets edge tiles run the full-width micro-kernel. (A is read in place: the micro-kernel
 * broadcasts one value per row and k step, which needs no layout of its own.)
 */
final class GemmPack {
    /** k steps per pass of the B transpose: 16 output rows of NR floats (4 KiB with AVX-512). */
    private static final int TRANSPOSE_ROWS = 16;

    private GemmPack() {}

    /**
     * Packs {@code op(B)[p0:p0+kc, j0:j0+nb]} into {@code ceil(nb / NR)} panels of {@code [kc, NR]}, panel
     * {@code q} starting at {@code dstOff + q * NR * kc}.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nb, float[] dst,
                      int dstOff) {
        for (int jr = 0; jr < nb; jr += NR) {
            int nr = Math.min(NR, nb - jr);
            int base = dstOff + jr * kc;
            if (nr < NR) {
                Arrays.fill(dst, base, base + NR * kc, 0f);
            }
            if (transB) {
                // B stored [n, k]: a transpose, done TRANSPOSE_ROWS k steps at a time so that the output rows
                // being filled stay in L1 while every stored row contributes its short contiguous run.
                for (int q = 0; q < kc; q += TRANSPOSE_ROWS) {
                    int qn = Math.min(TRANSPOSE_ROWS, kc - q);
                    for (int j = 0; j < nr; j++) {
                        int src = bOff + (j0 + jr + j) * ldb + p0 + q;
                        int d = base + q * NR + j;
                        for (int p = 0; p < qn; p++) {
                            dst[d + p * NR] = b[src + p];
                        }
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (p0 + p) * ldb + j0 + jr, dst, base + p * NR, nr);
                }
            }
        }
    }
}
