package dev.recur.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The micro-tile for machines with 32 vector registers (AVX-512, NEON): 4 rows of C by 4 vectors, sixteen
 * accumulators, four loaded B vectors and one broadcast of A. Each C element is one {@code fma} chain in order of
 * {@code k}, the same operation sequence as {@link GemmReference} within one k block.
 */
final class GemmTile4x4 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 4;
    static final int NR = 4 * L;

    private GemmTile4x4() {}

    /**
     * {@code tile[4, NR] = Ap * Bp}: row {@code r}'s value {@code p} of A at {@code aIdx + row_r + p * aStep}
     * ({@code row_0 = 0}); {@code kc} rows of B, {@code bStride} apart.
     */
    static void accumulate(int kc, float[] a, int aIdx, int row1, int row2, int row3, int aStep,
                           float[] b, int bIdx, int bStride, float[] tile) {
        // Accumulators c<row><vector>: [MR, 4 x L]
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c02 = FloatVector.zero(S), c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S), c12 = FloatVector.zero(S), c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c22 = FloatVector.zero(S), c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S), c32 = FloatVector.zero(S), c33 = FloatVector.zero(S);
        int ai = aIdx;
        int bi = bIdx;
        for (int p = 0; p < kc; p++, ai += aStep, bi += bStride) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bi + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bi + 3 * L);
            FloatVector a0 = FloatVector.broadcast(S, a[ai]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.broadcast(S, a[ai + row1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.broadcast(S, a[ai + row2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.broadcast(S, a[ai + row3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        // The accumulators go to the tile, and a separate method adds the tile into C: the vector code of this
        // method stays small enough that C2 inlines and intrinsifies every fma. (A version that also held the
        // C update here sometimes compiled with its fma calls left out of line, each one allocating: 2-5x slower
        // for the whole process.)
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c12.intoArray(tile, NR + 2 * L);
        c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c22.intoArray(tile, 2 * NR + 2 * L);
        c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c32.intoArray(tile, 3 * NR + 2 * L);
        c33.intoArray(tile, 3 * NR + 3 * L);
    }
}
