package dev.recur.core.kernel.gemm;

import static dev.recur.core.kernel.gemm.GemmMicroKernel.MR;
import static dev.recur.core.kernel.gemm.GemmMicroKernel.NR;

import java.util.Arrays;

/**
 * Copies blocks of A and B into the contiguous panel layouts that {@link GemmMicroKernel} streams through, so
 * that its loads are unit-stride whatever the transposition and leading dimension. Panels past the matrix edge
 * are zero-filled, which lets edge tiles run the full-width micro-kernel.
 */
final class GemmPack {
    /** k steps per pass of the B transpose: 16 output rows of NR floats (4 KiB with AVX-512). */
    private static final int TRANSPOSE_ROWS = 16;

    private GemmPack() {}

    /**
     * Packs {@code op(A)[i0:i0+mc, p0:p0+kc]} into {@code ceil(mc / MR)} panels of {@code [kc, MR]}, panel
     * {@code q} starting at {@code dstOff + q * MR * kc}.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      float[] dst, int dstOff) {
        int full = mc / MR * MR;
        if (full < mc) {
            Arrays.fill(dst, dstOff + full * kc, dstOff + (full + MR) * kc, 0f);
        }
        if (transA) {
            // A stored [k, m]: walk each stored row once, handing MR values to every panel in turn, so that each
            // cache line of A is read whole instead of MR floats at a time per panel.
            for (int p = 0; p < kc; p++) {
                int src = aOff + (p0 + p) * lda + i0;
                int d = dstOff + p * MR;
                for (int ir = 0; ir < full; ir += MR, d += MR * kc) {
                    for (int r = 0; r < MR; r++) {
                        dst[d + r] = a[src + ir + r];
                    }
                }
                for (int r = 0; r < mc - full; r++) {
                    dst[d + r] = a[src + full + r];
                }
            }
            return;
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = dstOff + ir * kc;
            for (int r = 0; r < mr; r++) {
                int src = aOff + (i0 + ir + r) * lda + p0;
                int d = base + r;
                for (int p = 0; p < kc; p++) {
                    dst[d + p * MR] = a[src + p];
                }
            }
        }
    }

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
