package dev.recur.core.scan.diagonal;

import dev.recur.core.scan.ScanParallel;
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

    /** Channels per task: a multiple of the vector length, so that only the last block has a scalar tail. */
    private static int blockSize(int batch, int channels) {
        int wanted = Math.max(1, Math.min((ScanParallel.threads() + batch - 1) / batch, channels / MIN_BLOCK));
        int per = (channels + wanted - 1) / wanted;
        return Math.max(S.length(), (per + S.length() - 1) / S.length() * S.length());
    }

    @Override
    public void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen,
                        int channels) {
        int d = channels;
        int block = blockSize(batch, d);
        int blocks = (d + block - 1) / block;
        float[] zeros = new float[d];
        ScanParallel.parallelFor(batch * blocks, task -> {
            int bi = task / blocks;
            int c0 = (task % blocks) * block;
            int c1 = Math.min(d, c0 + block);
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
        int block = blockSize(batch, d);
        int blocks = (d + block - 1) / block;
        float[] zeros = new float[d];
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        ScanParallel.parallelFor(batch * blocks, task -> {
            int bi = task / blocks;
            int c0 = (task % blocks) * block;
            int c1 = Math.min(d, c0 + block);
            int vecEnd = c0 + S.loopBound(c1 - c0);
            for (int t = seqLen - 1; t >= 0; t--) {
                int row = (bi * seqLen + t) * d; // [B, T, D]
                boolean last = t == seqLen - 1;
                // g_t = a_{t+1} * g_{t+1} + gh_t; the final state's gradient enters with weight 1.
                float[] aNext = last ? ones : a;
                int aNextRow = last ? 0 : row + d;
                float[] gNext = last ? (ghT == null ? zeros : ghT) : db;
                int gNextRow = last ? (ghT == null ? 0 : bi * d) : row + d;
                float[] prev = t > 0 ? h : (h0 == null ? zeros : h0);
                int prevRow = t > 0 ? row - d : (h0 == null ? 0 : bi * d);
                int c = c0;
                for (; c < vecEnd; c += S.length()) {
                    FloatVector an = FloatVector.fromArray(S, aNext, aNextRow + c);
                    FloatVector gn = FloatVector.fromArray(S, gNext, gNextRow + c);
                    FloatVector g = an.fma(gn, FloatVector.fromArray(S, gh, row + c));
                    g.intoArray(db, row + c);
                    g.mul(FloatVector.fromArray(S, prev, prevRow + c)).intoArray(da, row + c);
                }
                for (; c < c1; c++) {
                    float g = Math.fma(aNext[aNextRow + c], gNext[gNextRow + c], gh[row + c]);
                    db[row + c] = g;
                    da[row + c] = g * prev[prevRow + c];
                }
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
}
