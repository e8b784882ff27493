package dev.recur.core.kernel.gemm;

import dev.recur.core.parallel.ComputePool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The path of {@link GemmVector} for products of at most {@link #MAX_ROWS} rows (one token per stream while
 * decoding), where B is read once from memory and packing it, or padding A to the micro-kernel's four rows,
 * would cost more than the multiply. Both layouts read B in place, with columns of C split into one range per
 * thread:
 *
 * <ul>
 *   <li>B not transposed: axpy over rows of B, vectors along {@code n}, every C element one {@code fma} chain in
 *       order of {@code k}, exactly as {@link GemmReference} computes it, whatever {@code k}.</li>
 *   <li>B transposed ({@code [n, k]}, a linear layer's weight): dot products of contiguous rows, vectors along
 *       {@code k} in two lane-wise partial sums, whose lanes are then added in a fixed tree (never
 *       {@code reduceLanes}, whose order the JIT may change). This differs from the reference's order, so
 *       {@link GemmVector} takes it only when {@code k} spans more than one k block, where its own order already
 *       differs.</li>
 * </ul>
 */
final class GemmRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Most rows of C this path takes. */
    static final int MAX_ROWS = 4;
    /** Fewest columns of C worth a thread of their own. */
    private static final int MIN_TASK_COLUMNS = 32;
    /** Below this many multiply-adds one thread streams B alone. */
    private static final long PARALLEL_WORK = 64 * 1024;

    private GemmRows() {}

    static void multiply(ComputePool pool, boolean transA, boolean transB, int m, int n, int k,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        // A element (i, p) sits at aOff + i * aRow + p * aCol.
        int aRow = transA ? 1 : lda;
        int aCol = transA ? lda : 1;
        ComputePool.RangeBody columns = (j0, j1) -> {
            if (transB) {
                dots(m, k, a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, ldc, accumulate, j0, j1);
            } else {
                axpys(m, k, a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, ldc, accumulate, j0, j1);
            }
        };
        if ((long) m * n * k < PARALLEL_WORK || n < 2 * MIN_TASK_COLUMNS || pool.threads() == 1) {
            columns.run(0, n);
        } else {
            // One contiguous range of B per thread: each streams its own block of memory, and no thread waits
            // on a last, lone task (768 columns in 256-column tasks left one of two threads idle a third of the
            // time). Every element of C is one chain whatever the split, so the bits do not depend on it.
            pool.forRanges(n, 2 * L, columns);
        }
    }

    /**
     * Columns {@code [j0, j1)} of {@code C = op(A) B} for B {@code [k, n]}: four rows at a time (rows past
     * {@code m} repeat row {@code m - 1} and are not stored: B's streaming bounds this product, not the fmas).
     * The multiply-adds and the stores into C are separate methods that meet in {@code tile}: when one method held
     * both, C2 at times compiled its vector operations as allocating calls (45 MB and 0.04 GFLOP/s per
     * 1 x 768 x 3072 product at 256 bits, after other kernels had run).
     */
    private static void axpys(int m, int k, float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, int j0, int j1) {
        int a1 = aOff + Math.min(1, m - 1) * aRow;
        int a2 = aOff + Math.min(2, m - 1) * aRow;
        int a3 = aOff + Math.min(3, m - 1) * aRow;
        float[] tile = new float[8 * L];
        int j = j0;
        for (; j + 2 * L <= j1; j += 2 * L) {
            axpyTile(k, a, aOff, a1, a2, a3, aCol, b, bOff + j, ldb, tile);
            for (int r = 0; r < m; r++) {
                storeRow(tile, 2 * r * L, c, cOff + r * ldc + j, accumulate);
            }
        }
        for (; j < j1; j++) {
            for (int i = 0; i < m; i++) {
                float sum = 0f;
                int ai = aOff + i * aRow;
                int bi = bOff + j;
                for (int p = 0; p < k; p++, ai += aCol, bi += ldb) {
                    sum = Math.fma(a[ai], b[bi], sum);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    /** {@code tile [4, 2L]} = rows {@code a0..a3} of A times the {@code 2L} columns of B from {@code bi}. */
    private static void axpyTile(int k, float[] a, int a0, int a1, int a2, int a3, int aCol, float[] b, int bi,
                                 int ldb, float[] tile) {
        // Accumulators s<row><vector>: [4, 2 x L]
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        FloatVector s20 = s00, s21 = s00, s30 = s00, s31 = s00;
        for (int p = 0, ap = 0; p < k; p++, ap += aCol, bi += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector x0 = FloatVector.broadcast(S, a[a0 + ap]);
            s00 = x0.fma(b0, s00);
            s01 = x0.fma(b1, s01);
            FloatVector x1 = FloatVector.broadcast(S, a[a1 + ap]);
            s10 = x1.fma(b0, s10);
            s11 = x1.fma(b1, s11);
            FloatVector x2 = FloatVector.broadcast(S, a[a2 + ap]);
            s20 = x2.fma(b0, s20);
            s21 = x2.fma(b1, s21);
            FloatVector x3 = FloatVector.broadcast(S, a[a3 + ap]);
            s30 = x3.fma(b0, s30);
            s31 = x3.fma(b1, s31);
        }
        s00.intoArray(tile, 0);
        s01.intoArray(tile, L);
        s10.intoArray(tile, 2 * L);
        s11.intoArray(tile, 3 * L);
        s20.intoArray(tile, 4 * L);
        s21.intoArray(tile, 5 * L);
        s30.intoArray(tile, 6 * L);
        s31.intoArray(tile, 7 * L);
    }

    /** {@code C[ci .. ci + 2L) = (accumulate ? C : 0) + tile[t .. t + 2L)}. */
    private static void storeRow(float[] tile, int t, float[] c, int ci, boolean accumulate) {
        for (int v = 0; v < 2 * L; v += L) {
            FloatVector x = FloatVector.fromArray(S, tile, t + v);
            (accumulate ? x.add(FloatVector.fromArray(S, c, ci + v)) : x).intoArray(c, ci + v);
        }
    }

    /**
     * Columns {@code [j0, j1)} of {@code C = op(A) B^T} for B stored {@code [n, k]}: each element a dot product
     * of A's row with B's row {@code j}, B's row streamed once for all rows of A. {@link GemmVector} sends only an
     * untransposed A here; a transposed one would be read element by element.
     */
    private static void dots(int m, int k, float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                             float[] c, int cOff, int ldc, boolean accumulate, int j0, int j1) {
        int bound = aCol == 1 ? k - k % (2 * L) : 0;
        float[] lanes = new float[L];
        for (int j = j0; j < j1; j++) {
            int bRow = bOff + j * ldb;
            for (int i = 0; i < m; i++) {
                int aBase = aOff + i * aRow;
                dotLanes(bound, a, aBase, b, bRow, lanes);
                float sum = LaneTree.sum(lanes, 0); // a fixed order, see LaneTree
                for (int p = bound; p < k; p++) {
                    sum = Math.fma(a[aBase + p * aCol], b[bRow + p], sum);
                }
                int ci = cOff + i * ldc + j;
                c[ci] = accumulate ? c[ci] + sum : sum;
            }
        }
    }

    /** The lane-wise partial sums of the first {@code bound} products, two chains added, into {@code lanes}. */
    private static void dotLanes(int bound, float[] a, int aBase, float[] b, int bRow, float[] lanes) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        for (int p = 0; p < bound; p += 2 * L) {
            s0 = FloatVector.fromArray(S, a, aBase + p).fma(FloatVector.fromArray(S, b, bRow + p), s0);
            s1 = FloatVector.fromArray(S, a, aBase + p + L).fma(FloatVector.fromArray(S, b, bRow + p + L), s1);
        }
        s0.add(s1).intoArray(lanes, 0);
    }
}
