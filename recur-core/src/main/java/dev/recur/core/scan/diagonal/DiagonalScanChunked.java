package dev.recur.core.scan.diagonal;

import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanParallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The diagonal scan parallel over time, for long sequences with few channels (where the sequential kernel is
 * bound by the latency of one dependent multiply-add per step, not by bandwidth).
 *
 * <p>Time is cut into chunks whose length depends on {@code seqLen} only (so results do not depend on the
 * thread count). Pass 1 scans every chunk independently from a zero state, recording the product of its
 * coefficients; pass 2 propagates the true end state from chunk to chunk ({@code carry_c = P_{c-1} *
 * carry_{c-1} + local_end_{c-1}}, cheap: one step per chunk); pass 3 adds each chunk's carried-in state,
 * {@code h_t += (a_s * ... * a_t) * carry}. Passes 1 and 3 run in parallel over (batch, chunk). The backward
 * runs the same three passes on the adjoint scan, right to left. Rounding differs from the sequential form
 * (relative error of a few ulps times the chunk count).
 */
public final class DiagonalScanChunked implements DiagonalScanKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int MIN_CHUNK = 256;
    private static final int MAX_CHUNKS = 32;

    private final int fixedChunk;

    /** Chunk length chosen from the sequence length. */
    public DiagonalScanChunked() {
        this.fixedChunk = 0;
    }

    /** A fixed chunk length (tests use short chunks to exercise carries on short sequences). */
    public DiagonalScanChunked(int chunkLength) {
        if (chunkLength < 1) {
            throw new RecurException("DiagonalScanChunked: chunk length must be >= 1, got " + chunkLength);
        }
        this.fixedChunk = chunkLength;
    }

    /** The chunk length used for a sequence of {@code seqLen} steps. */
    public int chunkLength(int seqLen) {
        if (fixedChunk > 0) {
            return fixedChunk;
        }
        return Math.max(MIN_CHUNK, (seqLen + MAX_CHUNKS - 1) / MAX_CHUNKS);
    }

    @Override
    public void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen,
                        int channels) {
        int d = channels;
        if (seqLen == 0) {
            new DiagonalScanReference().forward(a, b, h0, h, hT, batch, seqLen, channels);
            return;
        }
        int len = chunkLength(seqLen);
        int chunks = (seqLen + len - 1) / len;
        float[] zeros = new float[d];
        float[] prod = new float[batch * chunks * d]; // [B, chunks, D]: product of a over each chunk
        ScanParallel.parallelFor(batch * chunks, task -> {
            int bi = task / chunks;
            int ci = task % chunks;
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            int pRow = task * d;
            Arrays.fill(prod, pRow, pRow + d, 1f);
            int vecEnd = S.loopBound(d);
            for (int t = t0; t < t1; t++) {
                int row = (bi * seqLen + t) * d; // [B, T, D]
                boolean first = t == t0;
                float[] prev = !first ? h : (ci == 0 && h0 != null ? h0 : zeros);
                int prevRow = !first ? row - d : (ci == 0 && h0 != null ? bi * d : 0);
                int c = 0;
                for (; c < vecEnd; c += S.length()) {
                    FloatVector av = FloatVector.fromArray(S, a, row + c);
                    FloatVector hv = FloatVector.fromArray(S, prev, prevRow + c);
                    av.fma(hv, FloatVector.fromArray(S, b, row + c)).intoArray(h, row + c);
                    av.mul(FloatVector.fromArray(S, prod, pRow + c)).intoArray(prod, pRow + c);
                }
                for (; c < d; c++) {
                    h[row + c] = Math.fma(a[row + c], prev[prevRow + c], b[row + c]);
                    prod[pRow + c] *= a[row + c];
                }
            }
        });
        // carry[bi, ci] = the true state entering chunk ci, for ci >= 1.
        float[] carry = new float[batch * chunks * d];
        for (int bi = 0; bi < batch; bi++) {
            for (int ci = 1; ci < chunks; ci++) {
                int endRow = (bi * seqLen + ci * len - 1) * d;
                int at = (bi * chunks + ci) * d;
                for (int c = 0; c < d; c++) {
                    carry[at + c] = ci == 1 ? h[endRow + c]
                            : Math.fma(prod[at - d + c], carry[at - d + c], h[endRow + c]);
                }
            }
        }
        ScanParallel.parallelFor(batch * (chunks - 1), task -> {
            int bi = task / (chunks - 1);
            int ci = task % (chunks - 1) + 1;
            int cRow = (bi * chunks + ci) * d;
            addCarry(a, h, carry, cRow, bi, ci * len, Math.min(seqLen, ci * len + len), seqLen, d);
        });
        for (int bi = 0; bi < batch; bi++) {
            System.arraycopy(h, (bi * seqLen + seqLen - 1) * d, hT, bi * d, d);
        }
    }

    /** {@code x_t += (a_{t0} * ... * a_t) * carry} for t in {@code [t0, t1)}: pass 3 of the forward. */
    private static void addCarry(float[] a, float[] x, float[] carry, int cRow, int bi, int t0, int t1,
                                 int seqLen, int d) {
        float[] p = new float[d];
        Arrays.fill(p, 1f);
        int vecEnd = S.loopBound(d);
        for (int t = t0; t < t1; t++) {
            int row = (bi * seqLen + t) * d;
            int c = 0;
            for (; c < vecEnd; c += S.length()) {
                FloatVector pv = FloatVector.fromArray(S, p, c).mul(FloatVector.fromArray(S, a, row + c));
                pv.intoArray(p, c);
                pv.fma(FloatVector.fromArray(S, carry, cRow + c), FloatVector.fromArray(S, x, row + c))
                        .intoArray(x, row + c);
            }
            for (; c < d; c++) {
                p[c] *= a[row + c];
                x[row + c] = Math.fma(p[c], carry[cRow + c], x[row + c]);
            }
        }
    }

    @Override
    public void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
                         float[] da, float[] db, float[] dh0, int batch, int seqLen, int channels) {
        int d = channels;
        if (seqLen == 0) {
            new DiagonalScanReference().backward(a, h, h0, gh, ghT, da, db, dh0, batch, seqLen, channels);
            return;
        }
        int len = chunkLength(seqLen);
        int chunks = (seqLen + len - 1) / len;
        float[] zeros = new float[d];
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        // prod[bi, ci] = a_{t0+1} * ... * a_{t1}: how g at the next chunk's first step reaches this chunk.
        float[] prod = new float[batch * chunks * d];
        ScanParallel.parallelFor(batch * chunks, task -> {
            int bi = task / chunks;
            int ci = task % chunks;
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            boolean lastChunk = ci == chunks - 1;
            int pRow = task * d;
            Arrays.fill(prod, pRow, pRow + d, 1f);
            int vecEnd = S.loopBound(d);
            for (int t = t1 - 1; t >= t0; t--) {
                int row = (bi * seqLen + t) * d; // [B, T, D]
                boolean top = t == t1 - 1;
                // The last chunk starts from the final state's gradient; the others from zero.
                float[] aNext = top ? (lastChunk ? ones : zeros) : a;
                int aNextRow = top ? 0 : row + d;
                float[] gNext = top ? (lastChunk && ghT != null ? ghT : zeros) : db;
                int gNextRow = top ? (lastChunk && ghT != null ? bi * d : 0) : row + d;
                float[] prev = t > 0 ? h : (h0 == null ? zeros : h0);
                int prevRow = t > 0 ? row - d : (h0 == null ? 0 : bi * d);
                int c = 0;
                for (; c < vecEnd; c += S.length()) {
                    FloatVector g = FloatVector.fromArray(S, aNext, aNextRow + c)
                            .fma(FloatVector.fromArray(S, gNext, gNextRow + c), FloatVector.fromArray(S, gh, row + c));
                    g.intoArray(db, row + c);
                    if (lastChunk) {
                        g.mul(FloatVector.fromArray(S, prev, prevRow + c)).intoArray(da, row + c);
                    } else {
                        FloatVector.fromArray(S, a, row + d + c).mul(FloatVector.fromArray(S, prod, pRow + c))
                                .intoArray(prod, pRow + c);
                    }
                }
                for (; c < d; c++) {
                    float g = Math.fma(aNext[aNextRow + c], gNext[gNextRow + c], gh[row + c]);
                    db[row + c] = g;
                    if (lastChunk) {
                        da[row + c] = g * prev[prevRow + c];
                    } else {
                        prod[pRow + c] *= a[row + d + c];
                    }
                }
            }
        });
        // carry[bi, ci] = the true g at the first step of chunk ci+1, for ci < chunks-1.
        float[] carry = new float[batch * chunks * d];
        for (int bi = 0; bi < batch; bi++) {
            for (int ci = chunks - 2; ci >= 0; ci--) {
                int nextRow = (bi * seqLen + (ci + 1) * len) * d;
                int at = (bi * chunks + ci) * d;
                for (int c = 0; c < d; c++) {
                    carry[at + c] = ci == chunks - 2 ? db[nextRow + c]
                            : Math.fma(prod[at + d + c], carry[at + d + c], db[nextRow + c]);
                }
            }
        }
        ScanParallel.parallelFor(batch * (chunks - 1), task -> {
            int bi = task / (chunks - 1);
            int ci = task % (chunks - 1);
            addCarryBackward(a, h, h0, zeros, db, da, carry, (bi * chunks + ci) * d, bi, ci * len,
                    Math.min(seqLen, ci * len + len), seqLen, d);
        });
        if (dh0 != null) {
            for (int bi = 0; bi < batch; bi++) {
                int row = bi * seqLen * d;
                for (int c = 0; c < d; c++) {
                    dh0[bi * d + c] = a[row + c] * db[row + c];
                }
            }
        }
    }

    /**
     * Pass 3 of the backward over {@code [t0, t1)}, right to left: {@code g_t += (a_{t+1} * ... * a_{t1}) *
     * carry}, then {@code da_t = g_t * h_{t-1}}.
     */
    private static void addCarryBackward(float[] a, float[] h, float[] h0, float[] zeros, float[] g, float[] da,
                                         float[] carry, int cRow, int bi, int t0, int t1, int seqLen, int d) {
        float[] p = new float[d];
        Arrays.fill(p, 1f);
        int vecEnd = S.loopBound(d);
        for (int t = t1 - 1; t >= t0; t--) {
            int row = (bi * seqLen + t) * d;
            float[] prev = t > 0 ? h : (h0 == null ? zeros : h0);
            int prevRow = t > 0 ? row - d : (h0 == null ? 0 : bi * d);
            int c = 0;
            for (; c < vecEnd; c += S.length()) {
                FloatVector pv = FloatVector.fromArray(S, p, c).mul(FloatVector.fromArray(S, a, row + d + c));
                pv.intoArray(p, c);
                FloatVector gv = pv.fma(FloatVector.fromArray(S, carry, cRow + c), FloatVector.fromArray(S, g, row + c));
                gv.intoArray(g, row + c);
                gv.mul(FloatVector.fromArray(S, prev, prevRow + c)).intoArray(da, row + c);
            }
            for (; c < d; c++) {
                p[c] *= a[row + d + c];
                float gc = Math.fma(p[c], carry[cRow + c], g[row + c]);
                g[row + c] = gc;
                da[row + c] = gc * prev[prevRow + c];
            }
        }
    }
}
