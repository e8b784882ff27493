package dev.recur.core.kernel.gemm;

import static dev.recur.core.kernel.gemm.GemmMicroKernel.MR;
import static dev.recur.core.kernel.gemm.GemmMicroKernel.NR;

import dev.recur.core.RecurException;
import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;

/**
 * The SIMD GEMM (jdk.incubator.vector), organised like BLIS: C is cut into column blocks of at most
 * {@link #NC} columns (and into row groups when that leaves threads idle), one task each; a task walks {@code k}
 * in blocks of {@link #KC}, packs its slice of B once per k block into a per-thread panel buffer
 * ({@link GemmPack}) and runs the register-blocked {@link GemmMicroKernel} over it and its rows of A in blocks of
 * {@link #MC}, A read in place (MR rows at a time, contiguous or, for a transposed A, MR adjacent values of
 * each stored row). B is read in place, unpacked, when it is not transposed and C has few rows (the per-timestep
 * shape), where packing would cost as much as the product. Products below {@link #SMALL_WORK} multiply-adds skip
 * packing altogether ({@link GemmSmall}); products of at most {@link GemmRows#MAX_ROWS} rows (decoding) read B
 * in place as axpys or dot products ({@link GemmRows}), and so do up to {@link GemmDots#MAX_ROWS} rows against a
 * transposed B with a long {@code k} ({@link GemmDots}). A caller that multiplies by the same B many times can
 * pack it once ({@link GemmPackedB}). C must not overlap A or B.
 *
 * <p>Determinism: every C element is summed in the same order (fma chains over each k block, blocks added in
 * order) whatever the block it lands in and the thread that computes it, so results are bit-identical for any
 * pool size. Within one k block, and on the small path, the order is exactly {@link GemmReference}'s.
 */
public final class GemmVector implements GemmKernel {
    /**
     * Depth of one k block. A B micro-panel ({@code KC x NR} floats, 64 KiB) is reused from L1/L2 across the A
     * panels; 256 did best among 64 to 512 on the AVX-512 machine kind, and it bounds C traffic to one
     * read-modify-write per 256 rank-1 updates.
     */
    static final int KC = 256;
    /** Rows of A per block that a task walks against its packed B block ({@code MC x KC} floats, sized for L2), whole tiles. */
    static final int MC = (128 / MR) * MR;
    /** Most columns per task and per packed B block ({@code KC x NC} floats). */
    static final int NC = 512;
    /** Below this many multiply-adds, packing costs more than it saves. */
    static final long SMALL_WORK = 32 * 1024;
    /** Below this many multiply-adds, waking other threads costs more than it saves. */
    static final long PARALLEL_WORK = 256 * 1024;
    /** Up to this many rows of C, an untransposed B is read in place instead of packed. */
    static final int DIRECT_B_ROWS = 64;
    /**
     * Tasks per thread that the split aims for: two, so that uneven threads still finish together, but no more,
     * since every task packs its own slices of B. Going from four to two took two threads from 177 to 191
     * GFLOP/s at 1024^3 and from 132 to 156 on a weight gradient (768 x 256, k = 4096) in a probe.
     */
    private static final int TASKS_PER_THREAD = 2;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private final ComputePool pool;

    /** A kernel that runs on the process-wide {@link ComputePool#shared()} pool. */
    public GemmVector() {
        this.pool = null;
    }

    /** A kernel that runs on the given pool (tests compare pool sizes). */
    public GemmVector(ComputePool pool) {
        if (pool == null) {
            throw new RecurException("GemmVector: expected a compute pool, got null");
        }
        this.pool = pool;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc,
                      boolean accumulate) {
        Gemm.checkBounds(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        long work = (long) m * n * k;
        if (work <= SMALL_WORK) {
            GemmSmall.multiply(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    WORKSPACE.get().small);
            return;
        }
        ComputePool p = pool != null ? pool : ComputePool.shared();
        if (takesRowsPath(transA, transB, m, k)) {
            GemmRows.multiply(p, transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        if (takesDotsPath(transA, transB, m, k)) {
            GemmDots.multiply(p, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                    work >= PARALLEL_WORK && p.threads() > 1);
            return;
        }
        run(p, new Blocked(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate,
                work < PARALLEL_WORK ? 1 : p.threads(), null));
    }

    /**
     * {@code C = (accumulate ? C : 0) + op(A) op(B)} with {@code op(B)} packed beforehand ({@link Gemm#packB});
     * the same bits as {@link #sgemm} with the unpacked B. Only products that {@link #sgemm} would run on the
     * blocked path read the panels; the others read B in place, as they would unpacked.
     */
    public void sgemm(boolean transA, int m, float[] a, int aOff, int lda, GemmPackedB b,
                      float[] c, int cOff, int ldc, boolean accumulate) {
        int n = b.n;
        int k = b.k;
        long work = (long) m * n * k;
        if (b.packed == null || m == 0 || n == 0 || k == 0 || work <= SMALL_WORK
                || takesRowsPath(transA, b.transB, m, k) || takesDotsPath(transA, b.transB, m, k)) {
            sgemm(transA, b.transB, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate);
            return;
        }
        Gemm.checkBounds(transA, b.transB, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc);
        ComputePool p = pool != null ? pool : ComputePool.shared();
        run(p, new Blocked(transA, b.transB, m, n, k, a, aOff, lda, b.b, b.bOff, b.ldb, c, cOff, ldc, accumulate,
                work < PARALLEL_WORK ? 1 : p.threads(), b));
    }

    /**
     * Few-row products go to {@link GemmRows}: always with B in place, and with B transposed once {@code k} spans
     * several k blocks (below that, the blocked path's order equals the reference's, which its dot products
     * would not) and A's rows are contiguous (the dot products' vectors run along them).
     */
    private static boolean takesRowsPath(boolean transA, boolean transB, int m, int k) {
        return m <= GemmRows.MAX_ROWS && (!transB || (!transA && k > KC));
    }

    /**
     * Products with B transposed and up to {@link GemmDots#MAX_ROWS} rows go to {@link GemmDots} once {@code k}
     * spans several k blocks (the same condition as the row path's dot products) and A's rows are contiguous.
     */
    private static boolean takesDotsPath(boolean transA, boolean transB, int m, int k) {
        return transB && !transA && m <= GemmDots.MAX_ROWS && k > KC;
    }

    private static void run(ComputePool p, Blocked job) {
        if (job.threads == 1 || job.tasks == 1) {
            for (int t = 0; t < job.tasks; t++) {
                job.run(t);
            }
        } else {
            p.parallelFor(job.tasks, job::run);
        }
    }

    /**
     * One product cut into tasks: task {@code t} computes the C block of row group {@code t / colBlocks} and
     * column block {@code t % colBlocks}, walking its rows in blocks of {@link #MC}.
     */
    private static final class Blocked {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float[] a;
        final int aOff;
        final int lda;
        final float[] b;
        final int bOff;
        final int ldb;
        final float[] c;
        final int cOff;
        final int ldc;
        final boolean accumulate;
        final boolean packB;
        final int rowGroup;
        final int colBlock;
        final int colBlocks;
        final int tasks;
        final int threads;
        /** All of op(B) packed by the caller, or null. */
        final float[] bPacked;
        final int bPackedWidth;

        Blocked(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate, int threads,
                GemmPackedB preB) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = accumulate;
            this.threads = threads;
            this.bPacked = preB == null ? null : preB.packed;
            this.bPackedWidth = preB == null ? 0 : preB.nPadded;
            this.packB = bPacked == null && (transB || m > DIRECT_B_ROWS);
            int[] split = split(m, n, threads == 1 ? 1 : TASKS_PER_THREAD * threads, transA, packB);
            this.rowGroup = split[0];
            this.colBlock = split[1];
            this.colBlocks = ceilDiv(n, colBlock);
            this.tasks = ceilDiv(m, rowGroup) * colBlocks;
        }

        /**
         * The row group and column block sizes for about {@code wantedTasks} tasks that move the fewest floats:
         * each row group packs its columns of B (when B is packed here), and each column block reads its rows of
         * a transposed A, whose strided reads fetch four times the lines they use ({@code stridedA}); A's
         * contiguous rows are not counted. So a tall C splits its rows and a wide C its columns. A tie keeps more
         * column blocks. The split never changes a result: every C element is summed in the same order whatever
         * block computes it.
         */
        static int[] split(int m, int n, int wantedTasks, boolean stridedA, boolean packsB) {
            int[] best = null;
            long bestCost = Long.MAX_VALUE;
            int minColBlocks = ceilDiv(n, NC);
            for (int want = Math.max(minColBlocks, wantedTasks); want >= 1; want--) {
                int colBlock = Math.max(NR, Math.min(NC, roundUp(ceilDiv(n, want), NR)));
                int colBlocks = ceilDiv(n, colBlock);
                int rowGroups = Math.max(1, Math.min(ceilDiv(wantedTasks, colBlocks), ceilDiv(m, MR)));
                int rowGroup = roundUp(ceilDiv(m, rowGroups), MR);
                long cost = (stridedA ? (long) colBlocks * m : 0) + (packsB ? (long) ceilDiv(m, rowGroup) * n : 0);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new int[] {rowGroup, colBlock};
                }
            }
            return best;
        }

        void run(int task) {
            int r0 = (task / colBlocks) * rowGroup;
            int r1 = Math.min(m, r0 + rowGroup);
            int j0 = (task % colBlocks) * colBlock;
            int nb = Math.min(colBlock, n - j0);
            int lastNr = nb % NR;
            Workspace ws = WORKSPACE.get();
            for (int p0 = 0; p0 < k; p0 += KC) {
                int kc = Math.min(KC, k - p0);
                boolean overwrite = !accumulate && p0 == 0;
                // One packed B block [kc, nb] serves every row block of this task.
                if (bPacked != null) {
                    // The caller packed all of op(B) already.
                } else if (packB) {
                    GemmPack.packB(transB, b, bOff, ldb, p0, kc, j0, nb, ws.b, 0);
                } else if (lastNr != 0) {
                    GemmPack.packB(false, b, bOff, ldb, p0, kc, j0 + nb - lastNr, lastNr, ws.b, 0);
                }
                // A is read in place, never packed: MR row streams of contiguous rows, or for a transposed A
                // MR adjacent values of each stored row (both measured faster than packing A first).
                int rowStep = transA ? 1 : lda;
                int aStep = transA ? lda : 1;
                for (int i0 = r0; i0 < r1; i0 += MC) {
                    int mc = Math.min(MC, r1 - i0);
                    panels(ws, aOff + i0 * rowStep + p0 * aStep, rowStep, aStep, kc, p0, j0, nb, mc, i0, overwrite);
                }
            }
        }

        /**
         * Every micro-tile of rows {@code [i0, i0 + mc)} and the task's columns, A's row {@code i0} value
         * {@code p0} at {@code aIdx}, {@code rowStep} between rows and {@code aStep} between k values; each panel
         * of B read from the caller's packed copy, this task's packed block, in place, or the packed edge panel.
         */
        private void panels(Workspace ws, int aIdx, int rowStep, int aStep, int kc, int p0, int j0, int nb, int mc,
                            int i0, boolean overwrite) {
            for (int jr = 0; jr < nb; jr += NR) {
                int nr = Math.min(NR, nb - jr);
                float[] bSrc = ws.b;
                int bIdx = 0; // the packed edge panel, unless one of these applies
                int bStride = NR;
                if (bPacked != null) {
                    bSrc = bPacked;
                    bIdx = p0 * bPackedWidth + (j0 + jr) * kc;
                } else if (packB) {
                    bIdx = jr * kc;
                } else if (nr == NR) {
                    bSrc = b;
                    bIdx = bOff + p0 * ldb + j0 + jr;
                    bStride = ldb;
                }
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir);
                    GemmMicroKernel.multiply(kc, a, aIdx + ir * rowStep, rowStep, aStep, bSrc, bIdx,
                            bStride, c, cOff + (i0 + ir) * ldc + j0 + jr, ldc, mr, nr, overwrite, ws.tile);
                }
            }
        }
    }

    /** Per-thread buffers, allocated once: a packed B block, the accumulator tile and the small path's scratch. */
    private static final class Workspace {
        final float[] b = new float[roundUp(NC, NR) * KC];
        final float[] tile = new float[MR * NR];
        final float[] small = new float[(int) SMALL_WORK];
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }
}
