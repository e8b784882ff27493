package dev.recur.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-tile for machines with 16 vector registers (AVX2, or AVX-512 run with {@code -XX:UseAVX=2}): 6 rows of
 * C by 2 vectors, twelve accumulators, two loaded B vectors and one broadcast of A, fifteen registers in all, so
 * nothing spills (the 4 x 4 tile needs 21). Each C element is one {@code fma} chain in order of {@code k}, as in
 * {@link GemmTile4x4}, so both tiles give the same bits.
 */
final class GemmTile6x2 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;

    private GemmTile6x2() {}

    /**
     * {@code tile[6, NR] = Ap * Bp}: row {@code r}'s value {@code p} of A at {@code aIdx + row_r + p * aStep}
     * ({@code row_0 = 0}); {@code kc} rows of B, {@code bStride} apart.
     */
    static void accumulate(int kc, float[] a, int aIdx, int row1, int row2, int row3, int row4, int row5, int aStep,
                           float[] b, int bIdx, int bStride, float[] tile) {
        // Accumulators c<row><vector>: [6, 2 x L]
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int ai = aIdx;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, ai += aStep, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + row1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + row2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + row3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + row4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + row5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }
}
