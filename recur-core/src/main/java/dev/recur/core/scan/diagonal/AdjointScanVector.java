package dev.recur.core.scan.diagonal;

import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of {@link DiagonalScanVector}: the adjoint scan, sequential in time and vectorised across
 * channels, with the same operations per element as {@link DiagonalScanReference} (so the same bits). Work is
 * split into tasks over batch entries, and over channel blocks only when there are fewer batch entries than
 * threads.
 *
 * <p>It is not cut into time chunks as the forward is: a chunk whose carry is not known yet must keep its local
 * state, the product of its coefficients and the carry beside the five streams ({@code a}, {@code gh},
 * {@code h}, {@code db}, {@code da}), eight rows in flight, which at 4 KiB rows fill a 32 KiB L1; it measured
 * 1.3-1.5x slower on one thread at 4096 x 1024 for little gain on two.
 */
final class AdjointScanVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * Fewest channels worth a task of their own: 8 KiB of each row. Below that, threads streaming parts of the
     * same rows add no bandwidth (two halves of 4 KiB rows: 12-19 GB/s against one thread's 15-23 in today's
     * runs), so a single batch entry of up to 4095 channels stays on one thread.
     */
    private static final int MIN_BLOCK = 2048;
    /** Channels on each side of a block boundary that run after the blocks (see {@link #inColumnRanges}). */
    private static final int STRIP = 16;

    private AdjointScanVector() {}

    /** Channels per task: a multiple of the vector length, so that only the last block has a scalar tail. */
    private static int blockSize(int batch, int channels) {
        int wanted = Math.max(1, Math.min((ComputePool.shared().threads() + batch - 1) / batch, channels / MIN_BLOCK));
        int per = (channels + wanted - 1) / wanted;
        return Math.max(S.length(), (per + S.length() - 1) / S.length() * S.length());
    }

    static void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
                         float[] da, float[] db, float[] dh0, int batch, int seqLen, int channels) {
        int d = channels;
        float[] zeros = new float[d];
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        inColumnRanges(batch, d, (bi, c0, c1) -> {
            int base = bi * seqLen * d; // [B, T, D]
            float[] first = h0 == null ? zeros : h0;
            int firstRow = h0 == null ? 0 : bi * d;
            if (seqLen > 0) {
                // The last step: the final state's gradient enters with weight 1.
                int row = base + (seqLen - 1) * d;
                backwardRow(ones, 0, ghT == null ? zeros : ghT, ghT == null ? 0 : bi * d, gh,
                        seqLen > 1 ? h : first, seqLen > 1 ? row - d : firstRow, da, db, row, c0, c1);
            }
            if (seqLen > 2) {
                backwardRows(a, h, gh, da, db, base + (seqLen - 2) * d, base + d, d, c0, c1);
            }
            if (seqLen > 1) {
                backwardRow(a, base + d, db, base + d, gh, first, firstRow, da, db, base, c0, c1);
            }
            if (dh0 == null) {
                return;
            }
            for (int c = c0; c < c1; c++) {
                int i = bi * seqLen * d + c;
                dh0[bi * d + c] = seqLen > 0 ? a[i] * db[i] : (ghT == null ? 0f : ghT[bi * d + c]);
            }
        });
    }

    /**
     * One row of the adjoint scan: {@code g = aNext * gNext + gh[row]}, {@code db[row] = g},
     * {@code da[row] = g * prev}, over channels {@code [c0, c1)}.
     */
    private static void backwardRow(float[] aNext, int aOff, float[] gNext, int gOff, float[] gh, float[] prev,
                                    int pOff, float[] da, float[] db, int row, int c0, int c1) {
        int vecEnd = c0 + S.loopBound(c1 - c0);
        int c = c0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector g = FloatVector.fromArray(S, aNext, aOff + c)
                    .fma(FloatVector.fromArray(S, gNext, gOff + c), FloatVector.fromArray(S, gh, row + c));
            g.intoArray(db, row + c);
            g.mul(FloatVector.fromArray(S, prev, pOff + c)).intoArray(da, row + c);
        }
        for (; c < c1; c++) {
            float g = Math.fma(aNext[aOff + c], gNext[gOff + c], gh[row + c]);
            db[row + c] = g;
            da[row + c] = g * prev[pOff + c];
        }
    }

    /** The steady state of the backward: rows from {@code from} down to {@code to} (flat row starts), inclusive. */
    private static void backwardRows(float[] a, float[] h, float[] gh, float[] da, float[] db, int from, int to,
                                     int d, int c0, int c1) {
        int vecEnd = c0 + S.loopBound(c1 - c0);
        for (int row = from; row >= to; row -= d) {
            int c = c0;
            for (; c < vecEnd; c += S.length()) {
                FloatVector g = FloatVector.fromArray(S, a, row + d + c)
                        .fma(FloatVector.fromArray(S, db, row + d + c), FloatVector.fromArray(S, gh, row + c));
                g.intoArray(db, row + c);
                g.mul(FloatVector.fromArray(S, h, row - d + c)).intoArray(da, row + c);
            }
            for (; c < c1; c++) {
                float g = Math.fma(a[row + d + c], db[row + d + c], gh[row + c]);
                db[row + c] = g;
                da[row + c] = g * h[row - d + c];
            }
        }
    }
    /** Work on channels {@code [c0, c1)} of batch entry {@code bi}, every row. */
    @FunctionalInterface
    private interface ColumnRange {
        void run(int bi, int c0, int c1);
    }

    /**
     * Runs {@code body} over every batch entry and channel, cut into column blocks on the pool. Each row is written
     * by several tasks, and a cache line that straddles a block boundary would bounce between their cores at
     * every row (it made two threads 2.5x slower than one at 4096x1024): the blocks run first without the
     * {@value #STRIP} channels on each side of every boundary, and those strips, at least 128 bytes wide, run
     * afterwards, so no line is written by two threads at once. Channels are independent, so this order gives the
     * same bits as one pass.
     */
    private static void inColumnRanges(int batch, int d, ColumnRange body) {
        int block = blockSize(batch, d);
        int blocks = (d + block - 1) / block;
        ComputePool pool = ComputePool.shared();
        pool.parallelFor(batch * blocks, task -> {
            int k = task % blocks;
            int c0 = k * block + (k > 0 ? STRIP : 0);
            int c1 = k < blocks - 1 ? (k + 1) * block - STRIP : d;
            body.run(task / blocks, c0, c1);
        });
        if (blocks > 1) {
            pool.parallelFor(batch * (blocks - 1), task -> {
                int edge = (task % (blocks - 1) + 1) * block;
                body.run(task / (blocks - 1), edge - STRIP, edge + STRIP);
            });
        }
    }
}
