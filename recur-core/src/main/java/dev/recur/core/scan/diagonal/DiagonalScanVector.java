package dev.recur.core.scan.diagonal;

import dev.recur.core.RecurException;
import dev.recur.core.parallel.ComputePool;
import dev.recur.core.parallel.TaskRelay;
import java.util.Arrays;

/**
 * The diagonal scan on the Vector API, its forward split over time so that every thread streams whole rows.
 *
 * <p>The scan is bound by memory bandwidth (one multiply-add per element of three streams). Splitting the
 * channels of a row between threads does not add bandwidth once rows are under a page: at 4096 x 1024 (4 KiB
 * rows) two threads each streaming half of every row measured 17-19 GB/s, below one thread's 23, while two
 * threads streaming whole rows reached 57, and a column split recovers only from 8 KiB rows on. So time is cut
 * into chunks of about {@value #CHUNK_ELEMENTS} elements, each one task of a {@link TaskRelay}:
 * <ol>
 *   <li>a batch entry's first chunk scans from the true initial state, exactly as {@link DiagonalScanReference};</li>
 *   <li>a later chunk whose predecessor has already published its last state {@code E} (always so on one
 *       thread) runs in one pass: its local state {@code l} from zero, the product {@code P} of its
 *       coefficients so far, and {@code h = P * E + l};</li>
 *   <li>otherwise it scans from zero first, tracking {@code P}, then waits for {@code E}, corrects its last row
 *       and publishes it (so the next chunk can go on), then corrects its other rows while they are still in
 *       cache, recomputing {@code P} as it goes: the same operations, so the same bits.</li>
 * </ol>
 * Tasks run chunk-major across the batch (the first chunk of every sequence, then the second, ...), so a chunk's
 * predecessor was claimed {@code batch} tasks before it: with at least as many sequences as threads it has
 * usually published, and chunks take the one-pass path instead of correcting their rows in a second pass. A
 * single sequence on two threads cannot avoid that pass, which costs it a third of its bandwidth.
 * The chunk length depends on the number of channels only, never on the thread count, so neither do the bits;
 * a sequence no longer than one chunk gets the reference's bits, and longer ones differ from the sequential
 * rounding by a few ulps per chunk boundary. The coefficient products span one chunk only: they overflow only
 * where {@code |a|} exceeds {@code 2^(128 / chunk length)} at every step of a chunk. The backward runs over the
 * same chunks, last first ({@link AdjointScanChunks}).
 */
public final class DiagonalScanVector implements DiagonalScanKernel {
    /** Elements per time chunk ({@code chunk length x channels}): 128 KiB per array, so a chunk stays in L2. */
    static final int CHUNK_ELEMENTS = 32768;

    private final int fixedChunk;

    /** Chunk lengths chosen from the number of channels. */
    public DiagonalScanVector() {
        this.fixedChunk = 0;
    }

    /** A fixed chunk length (tests use short chunks to exercise the carries on short sequences). */
    public DiagonalScanVector(int chunkLength) {
        if (chunkLength < 1) {
            throw new RecurException("DiagonalScanVector: chunk length must be >= 1, got " + chunkLength);
        }
        this.fixedChunk = chunkLength;
    }

    /** Steps per time chunk for rows of {@code channels} elements. */
    public int chunkLength(int channels) {
        return fixedChunk > 0 ? fixedChunk : Math.max(1, CHUNK_ELEMENTS / Math.max(1, channels));
    }

    @Override
    public void forward(float[] a, float[] b, float[] h0, float[] h, float[] hT, int batch, int seqLen,
                        int channels) {
        int d = channels;
        if (seqLen == 0) {
            for (int bi = 0; bi < batch; bi++) {
                if (h0 != null) {
                    System.arraycopy(h0, bi * d, hT, bi * d, d);
                } else {
                    Arrays.fill(hT, bi * d, bi * d + d, 0f);
                }
            }
            return;
        }
        int len = chunkLength(d);
        int chunks = (seqLen + len - 1) / len;
        float[] zeros = new float[d];
        TaskRelay relay = new TaskRelay(batch * chunks);
        ComputePool.shared().parallelFor(batch * chunks, task -> relay.run(task, k -> {
            int bi = k % batch; // chunk ci of every batch entry before chunk ci + 1 of any
            int ci = k / batch;
            int base = bi * seqLen * d; // [B, T, D]
            int first = base + ci * len * d;
            int end = base + Math.min(seqLen, (ci + 1) * len) * d;
            if (ci == 0) {
                ScanRows.fma(a, first, h0 == null ? zeros : h0, h0 == null ? 0 : bi * d, b, first, h, first, d);
                for (int row = first + d; row < end; row += d) {
                    ScanRows.fma(a, row, h, row - d, b, row, h, row, d);
                }
                relay.publish(k);
                return;
            }
            float[] p = ones(d);
            int carry = first - d; // the previous chunk's last row, final once it has published
            if (relay.isPublished(k - batch)) {
                float[] l = new float[d];
                for (int row = first; row < end; row += d) {
                    ScanRows.fmaWithCarry(a, row, b, row, l, p, h, carry, h, row, d);
                }
                relay.publish(k);
                return;
            }
            ScanRows.fmaTrackingProduct(a, first, zeros, 0, b, first, h, first, p, d);
            for (int row = first + d; row < end; row += d) {
                ScanRows.fmaTrackingProduct(a, row, h, row - d, b, row, h, row, p, d);
            }
            int last = end - d;
            relay.await(k - batch);
            ScanRows.fma(p, 0, h, carry, h, last, h, last, d);
            relay.publish(k);
            Arrays.fill(p, 1f);
            for (int row = first; row < last; row += d) {
                ScanRows.addCarry(a, row, p, h, carry, h, row, d);
            }
        }));
        for (int bi = 0; bi < batch; bi++) {
            System.arraycopy(h, (bi * seqLen + seqLen - 1) * d, hT, bi * d, d);
        }
    }

    /** The adjoint scan, split over the same time chunks ({@link AdjointScanChunks}). */
    @Override
    public void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT,
                         float[] da, float[] db, float[] dh0, int batch, int seqLen, int channels) {
        AdjointScanChunks.backward(a, h, h0, gh, ghT, da, db, dh0, batch, seqLen, channels, chunkLength(channels));
    }

    private static float[] ones(int d) {
        float[] v = new float[d];
        Arrays.fill(v, 1f);
        return v;
    }
}
