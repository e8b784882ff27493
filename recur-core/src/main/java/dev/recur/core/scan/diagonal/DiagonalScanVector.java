package dev.recur.core.scan.diagonal;

import dev.recur.core.parallel.ComputePool;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sequential diagonal scan, vectorised across channels: time runs outer, and each step reads the previous
 * row of states (still in L1) and streams {@code a}, {@code b} and {@code h}, so the kernel runs at memory
 * bandwidth. Work is split into tasks over batch entries, and over channel blocks only when there are fewer
 * batch entries than threads (whole rows stream fastest). The operations per element are those of
 * {@link DiagonalScanReference} whatever the split, so the results are bit-identical to it.
 */
public final class DiagonalScanVector implements DiagonalScanKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Fewest channels worth a task of their own. */
    private static final int MIN_BLOCK = 256;
    /** Channels on each side of a block boundary that run after the blocks (see {@link #inColumnRanges}). */
    private static final int STRIP = 16;

    /** Channels per task: a multiple of the vector length, so that only the last block has a scalar tail. */
    private static int blockSize(int batch, int channels) {
        int wanted = Math.max(1, Math.min((ComputePool.shared().threads() + batch - 1) / batch, channels / MIN_BLOCK));
        int per = (channels + wanted - 1) / wanted;
        return Math.max(S.length(), (per + S.length() - 1) / S.length() * S.length());
    }

    @Override
    public void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen,
                        int channels) {
        int d = channels;
        float[] zeros = new float[d];
        inColumnRanges(batch, d, (bi, c0, c1) -> {
            if (seqLen > 0) {
                int row0 = bi * seqLen * d;
                firstRow(a, b, h0 == null ? zeros : h0, h0 == null ? 0 : bi * d, h, row0, c0, c1);
                forwardRows(a, b, h, row0 + d, row0 + seqLen * d, d, c0, c1);
            }
            if (seqLen > 0) {
                System.arraycopy(h, (bi * seqLen + seqLen - 1) * d + c0, hT, bi * d + c0, c1 - c0);
            } else if (h0 != null) {
                System.arraycopy(h0, bi * d + c0, hT, bi * d + c0, c1 - c0);
            } else {
                Arrays.fill(hT, bi * d + c0, bi * d + c1, 0f);
            }
        });
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

    /** {@code h[row] = a[row] * prev[prevRow] + b[row]} over channels {@code [c0, c1)}. */
    private static void firstRow(float[] a, float[] b, float[] prev, int prevRow, float[] h, int row, int c0,
                                 int c1) {
        int vecEnd = c0 + S.loopBound(c1 - c0);
        int c = c0;
        for (; c < vecEnd; c += S.length()) {
            FloatVector hv = FloatVector.fromArray(S, prev, prevRow + c);
            FloatVector.fromArray(S, a, row + c).fma(hv, FloatVector.fromArray(S, b, row + c)).intoArray(h, row + c);
        }
        for (; c < c1; c++) {
            h[row + c] = Math.fma(a[row + c], prev[prevRow + c], b[row + c]);
        }
    }

    /**
     * The steady state of the forward, rows {@code [from, to)} (flat offsets of row starts): each row reads the
     * row before it in {@code h} only, which keeps the loop as simple as a STREAM triad.
     */
    private static void forwardRows(float[] a, float[] b, float[] h, int from, int to, int d, int c0, int c1) {
        int vecEnd = c0 + S.loopBound(c1 - c0);
        for (int row = from; row < to; row += d) { // [T, D] rows of one batch entry
            int c = c0;
            for (; c < vecEnd; c += S.length()) {
                FloatVector hv = FloatVector.fromArray(S, h, row - d + c);
                FloatVector.fromArray(S, a, row + c).fma(hv, FloatVector.fromArray(S, b, row + c))
                        .intoArray(h, row + c);
            }
            for (; c < c1; c++) {
                h[row + c] = Math.fma(a[row + c], h[row - d + c], b[row + c]);
            }
        }
    }

    @Override
    public void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
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
}
