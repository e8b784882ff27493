package dev.recur.core.scan.diagonal;

import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanParallel;

/**
 * The diagonal scan parallel over time, meant for long sequences with fewer channels than one vector holds,
 * where the sequential kernel is bound by the latency of one dependent multiply-add per step rather than by
 * bandwidth, on machines with enough cores to pay for its second pass over memory ({@link DiagonalScan} does
 * not pick it by itself; see {@link DiagonalScan#kernel}).
 *
 * <p>Time is cut into chunks whose length depends on {@code seqLen} only (so results do not depend on the
 * thread count). Pass 1 scans every chunk independently from a zero state, recording the product of its
 * coefficients; pass 2 propagates the true end state from chunk to chunk ({@code carry_c = P_{c-1} *
 * carry_{c-1} + local_end_{c-1}}, one step per chunk); pass 3 adds each chunk's carried-in state,
 * {@code h_t += (a_s * ... * a_t) * carry}. Passes 1 and 3 run in parallel over (batch, chunk) and loop over
 * channels outermost, so that each chain of dependent operations stays in registers. The backward runs the
 * same three passes on the adjoint scan, right to left. Rounding differs from the sequential form by a few
 * ulps times the chunk count.
 */
public final class DiagonalScanChunked implements DiagonalScanKernel {
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
        float[] prod = new float[batch * chunks * d]; // [B, chunks, D]: product of a over each chunk
        ScanParallel.parallelFor(batch * chunks, task -> {
            int bi = task / chunks;
            int ci = task % chunks;
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            for (int c = 0; c < d; c++) {
                float state = ci == 0 && h0 != null ? h0[bi * d + c] : 0f;
                float p = 1f;
                for (int i = (bi * seqLen + t0) * d + c, end = (bi * seqLen + t1) * d; i < end; i += d) {
                    state = Math.fma(a[i], state, b[i]); // [B, T, D]
                    h[i] = state;
                    p *= a[i];
                }
                prod[task * d + c] = p;
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
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            for (int c = 0; c < d; c++) {
                float in = carry[(bi * chunks + ci) * d + c];
                float p = 1f;
                for (int i = (bi * seqLen + t0) * d + c, end = (bi * seqLen + t1) * d; i < end; i += d) {
                    p *= a[i];
                    h[i] = Math.fma(p, in, h[i]);
                }
            }
        });
        for (int bi = 0; bi < batch; bi++) {
            System.arraycopy(h, (bi * seqLen + seqLen - 1) * d, hT, bi * d, d);
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
        // prod[bi, ci] = a_{t0+1} * ... * a_{t1}: how g at the next chunk's first step reaches this chunk.
        float[] prod = new float[batch * chunks * d];
        ScanParallel.parallelFor(batch * chunks, task -> {
            int bi = task / chunks;
            int ci = task % chunks;
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            boolean lastChunk = ci == chunks - 1;
            for (int c = 0; c < d; c++) {
                // The last chunk starts from the final state's gradient (weight 1); the others from zero.
                float g = lastChunk && ghT != null ? ghT[bi * d + c] : 0f;
                float aNext = lastChunk ? 1f : 0f;
                float p = 1f;
                for (int t = t1 - 1; t >= t0; t--) {
                    int i = (bi * seqLen + t) * d + c; // [B, T, D]
                    g = Math.fma(aNext, g, gh[i]);
                    db[i] = g;
                    if (lastChunk) {
                        da[i] = g * previous(h, h0, bi, t, i, d, c);
                    } else {
                        p *= a[i + d];
                    }
                    aNext = a[i];
                }
                prod[task * d + c] = p;
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
            int t0 = ci * len;
            int t1 = Math.min(seqLen, t0 + len);
            for (int c = 0; c < d; c++) {
                float in = carry[(bi * chunks + ci) * d + c];
                float p = 1f;
                for (int t = t1 - 1; t >= t0; t--) {
                    int i = (bi * seqLen + t) * d + c;
                    p *= a[i + d];
                    float g = Math.fma(p, in, db[i]);
                    db[i] = g;
                    da[i] = g * previous(h, h0, bi, t, i, d, c);
                }
            }
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

    /** The state before step t: {@code h[t-1]}, or the initial state (zero when absent) at t = 0. */
    private static float previous(float[] h, float[] h0, int bi, int t, int i, int d, int c) {
        if (t > 0) {
            return h[i - d];
        }
        return h0 == null ? 0f : h0[bi * d + c];
    }
}
