package dev.recur.core.kernel.gemm;

import dev.recur.core.parallel.ComputePool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The path of {@link GemmVector} for {@code C = A B^T} with few rows (up to {@link #MAX_ROWS}) and B stored
 * {@code [n, k]}, a linear layer's weight: every C element is the dot product of two contiguous rows, so nothing
 * is packed. On the blocked path such a product spent most of its time transposing B into panels (16 x 1024 x 256:
 * 160 us on two threads, where the multiply-adds need about 45).
 *
 * <p>Four rows of A against four rows of B at a time: 16 accumulators, each step loading 8 vectors for 16
 * multiply-adds, with B's four rows (16 KiB at k = 1024) staying in L1 across A's rows. Each C element is summed
 * in one fixed order whatever the blocking and the thread: lane {@code l} accumulates the products {@code p = l
 * (mod L)} in order of {@code p}, the lanes are then added in a fixed tree (never {@code reduceLanes}, whose order
 * the JIT may change; see {@link LaneTree}), and the last {@code k mod L} products follow one by one. That differs from
 * {@link GemmReference}'s order, so {@link GemmVector} sends only products whose {@code k} spans more than one k
 * block here, where its own order differs too.
 */
final class GemmDots {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Most rows of C this path takes: A's rows stay in L2 while each block of B's rows is read. */
    static final int MAX_ROWS = 64;
    /** Rows of B per task range: a multiple of the block of four. */
    private static final int ALIGN = 4;

    private GemmDots() {}

    /** {@code C = (accumulate ? C : 0) + A B^T}, A {@code [m, k]} and B {@code [n, k]} row-major. */
    static void multiply(ComputePool pool, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff,
                         int ldb, float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        ComputePool.RangeBody columns = (j0, j1) -> {
            float[] tile = new float[16 * L];
            int j = j0;
            for (; j + 4 <= j1; j += 4) {
                int i = 0;
                for (; i + 4 <= m; i += 4) {
                    block(k, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, c, cOff + i * ldc + j, ldc, accumulate,
                            tile);
                }
                for (; i < m; i++) {
                    for (int jj = j; jj < j + 4; jj++) {
                        single(k, a, aOff + i * lda, b, bOff + jj * ldb, c, cOff + i * ldc + jj, accumulate,
                                tile);
                    }
                }
            }
            for (; j < j1; j++) {
                for (int i = 0; i < m; i++) {
                    single(k, a, aOff + i * lda, b, bOff + j * ldb, c, cOff + i * ldc + j, accumulate, tile);
                }
            }
        };
        if (parallel) {
            pool.forRanges(n, ALIGN, columns);
        } else {
            columns.run(0, n);
        }
    }

    /** C rows {@code i..i+3} x columns {@code j..j+3}: A rows from {@code a0}, B rows from {@code b0}. */
    private static void block(int k, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] c, int c0,
                              int ldc, boolean accumulate, float[] tile) {
        int bound = S.loopBound(k);
        products(bound, a, a0, lda, b, b0, ldb, tile);
        for (int r = 0; r < 4; r++) {
            for (int q = 0; q < 4; q++) {
                put(tile, (4 * r + q) * L, k, bound, a, a0 + r * lda, b, b0 + q * ldb, c, c0 + r * ldc + q,
                        accumulate);
            }
        }
    }

    /**
     * The vector part of a 4 x 4 block, its 16 accumulators left in {@code tile} ({@code [4, 4, L]}). Kept to the
     * loop and its stores: when the same method also reduced the accumulators, C2 compiled the multiply-adds as the
     * Vector API's allocating fallback (30 instead of about 90 GFLOP/s on one thread).
     */
    private static void products(int bound, float[] a, int a0, int lda, float[] b, int b0, int ldb, float[] tile) {
        // Accumulators s<row><column>: [4, 4]
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00;
        FloatVector s10 = s00, s11 = s00, s12 = s00, s13 = s00;
        FloatVector s20 = s00, s21 = s00, s22 = s00, s23 = s00;
        FloatVector s30 = s00, s31 = s00, s32 = s00, s33 = s00;
        for (int p = 0; p < bound; p += L) {
            FloatVector b0v = FloatVector.fromArray(S, b, b0 + p);
            FloatVector b1v = FloatVector.fromArray(S, b, b0 + ldb + p);
            FloatVector b2v = FloatVector.fromArray(S, b, b0 + 2 * ldb + p);
            FloatVector b3v = FloatVector.fromArray(S, b, b0 + 3 * ldb + p);
            FloatVector x = FloatVector.fromArray(S, a, a0 + p);
            s00 = x.fma(b0v, s00);
            s01 = x.fma(b1v, s01);
            s02 = x.fma(b2v, s02);
            s03 = x.fma(b3v, s03);
            x = FloatVector.fromArray(S, a, a0 + lda + p);
            s10 = x.fma(b0v, s10);
            s11 = x.fma(b1v, s11);
            s12 = x.fma(b2v, s12);
            s13 = x.fma(b3v, s13);
            x = FloatVector.fromArray(S, a, a0 + 2 * lda + p);
            s20 = x.fma(b0v, s20);
            s21 = x.fma(b1v, s21);
            s22 = x.fma(b2v, s22);
            s23 = x.fma(b3v, s23);
            x = FloatVector.fromArray(S, a, a0 + 3 * lda + p);
            s30 = x.fma(b0v, s30);
            s31 = x.fma(b1v, s31);
            s32 = x.fma(b2v, s32);
            s33 = x.fma(b3v, s33);
        }
        s00.intoArray(tile, 0 * L);
        s01.intoArray(tile, 1 * L);
        s02.intoArray(tile, 2 * L);
        s03.intoArray(tile, 3 * L);
        s10.intoArray(tile, 4 * L);
        s11.intoArray(tile, 5 * L);
        s12.intoArray(tile, 6 * L);
        s13.intoArray(tile, 7 * L);
        s20.intoArray(tile, 8 * L);
        s21.intoArray(tile, 9 * L);
        s22.intoArray(tile, 10 * L);
        s23.intoArray(tile, 11 * L);
        s30.intoArray(tile, 12 * L);
        s31.intoArray(tile, 13 * L);
        s32.intoArray(tile, 14 * L);
        s33.intoArray(tile, 15 * L);
    }

    /**
     * One C element from its accumulator's lanes stored at {@code lanes[off ..]}: the lanes added in the fixed
     * tree, then the products past {@code bound} one by one.
     */
    private static void put(float[] lanes, int off, int k, int bound, float[] a, int aRow, float[] b, int bRow,
                            float[] c, int ci, boolean accumulate) {
        float sum = LaneTree.sum(lanes, off);
        for (int p = bound; p < k; p++) {
            sum = Math.fma(a[aRow + p], b[bRow + p], sum);
        }
        c[ci] = accumulate ? c[ci] + sum : sum;
    }

    /** One C element, in the same order as {@link #block}'s; {@code scratch} holds the accumulator's lanes. */
    private static void single(int k, float[] a, int aRow, float[] b, int bRow, float[] c, int ci,
                               boolean accumulate, float[] scratch) {
        FloatVector s = FloatVector.zero(S);
        int bound = S.loopBound(k);
        for (int p = 0; p < bound; p += L) {
            s = FloatVector.fromArray(S, a, aRow + p).fma(FloatVector.fromArray(S, b, bRow + p), s);
        }
        s.intoArray(scratch, 0);
        put(scratch, 0, k, bound, a, aRow, b, bRow, c, ci, accumulate);
    }
}
