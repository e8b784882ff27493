package dev.recur.core.scan.diagonal;

import dev.recur.core.parallel.ComputePool;
import dev.recur.core.parallel.TaskRelay;
import java.util.Arrays;

/**
 * The backward of {@link DiagonalScanVector} split over time, as its forward is, so that every thread streams
 * whole rows. The adjoint runs from the last step down: {@code g_t = a_{t+1} g_{t+1} + gh_t} (the final state's
 * gradient enters at the last step with weight 1), {@code db_t = g_t}, {@code da_t = g_t h_{t-1}}. Time is cut
 * into the forward's chunks; each is one task of a {@link TaskRelay}, the last chunk in time first (of every sequence, then the
 * one before it, as the forward orders its chunks across the batch):
 * <ol>
 *   <li>the last chunk runs the adjoint exactly as {@link DiagonalScanReference} does;</li>
 *   <li>an earlier chunk whose successor has published its first row {@code G} (always so on one thread) runs in
 *       one pass: local adjoint {@code l} from zero, the product {@code P} of the coefficients so far, and
 *       {@code g = P * G + l}, with {@code da} row by row;</li>
 *   <li>otherwise it runs the local adjoint first (into {@code db}, tracking {@code P}), waits for {@code G},
 *       corrects its first row and publishes it, then corrects its other rows while they are in cache
 *       (recomputing {@code P}: the same operations, so the same bits) and writes their {@code da}.</li>
 * </ol>
 * The chunk length comes from the number of channels only, so the bits do not depend on the thread count. Every
 * step computes {@code da} with its row, so {@code db} and {@code h} are read once. Against the sequential adjoint
 * this kernel replaced (channels split between threads), at 4096 x 1024 on this 2-vCPU machine: two threads
 * 19.1-21.9 GB/s against 15.4-16.4, one thread 13.0-13.5 against 15.9 (the one-pass form keeps three more rows,
 * {@code l}, {@code P} and {@code G}, in L1 beside five streams).
 */
final class AdjointScanChunks {
    private AdjointScanChunks() {}

    static void backward(float[] a, float[] h, float[] h0, float[] gh, float[] ghT, float[] da, float[] db,
                         float[] dh0, int batch, int seqLen, int channels, int len) {
        int d = channels;
        float[] zeros = new float[d];
        if (seqLen > 0) {
            int chunks = (seqLen + len - 1) / len;
            float[] ones = new float[d];
            Arrays.fill(ones, 1f);
            TaskRelay relay = new TaskRelay(batch * chunks);
            ComputePool.shared().parallelFor(batch * chunks, task -> relay.run(task, k -> {
                int bi = k % batch; // the j-th chunk from the end of every batch entry before the next
                int j = k / batch; // 0: the last chunk in time
                int ci = chunks - 1 - j;
                int base = bi * seqLen * d;
                int top = base + Math.min(seqLen, (ci + 1) * len) * d - d; // the chunk's last row
                int bottom = base + ci * len * d; // its first row
                // The state before each row: h's previous row, and h0 (or zeros) before step 0.
                float[] first = h0 == null ? zeros : h0;
                int firstOff = h0 == null ? 0 : bi * d;
                if (j == 0) {
                    for (int row = top; row >= bottom; row -= d) {
                        float[] prev = row == base ? first : h;
                        int po = row == base ? firstOff : row - d;
                        if (row == top) {
                            ScanRows.fmaAndGrad(ones, 0, ghT == null ? zeros : ghT, ghT == null ? 0 : bi * d, gh, top,
                                    db, top, prev, po, da, top, d);
                        } else {
                            ScanRows.fmaAndGrad(a, row + d, db, row + d, gh, row, db, row, prev, po, da, row, d);
                        }
                    }
                    relay.publish(k);
                    return;
                }
                int carry = top + d; // the next chunk's first row, final once it has published
                float[] p = new float[d];
                Arrays.fill(p, 1f);
                if (relay.isPublished(k - batch)) {
                    float[] l = new float[d];
                    for (int row = top; row >= bottom; row -= d) {
                        float[] prev = row == base ? first : h;
                        int po = row == base ? firstOff : row - d;
                        ScanRows.fmaWithCarryAndGrad(a, row + d, gh, row, l, p, db, carry, db, row, prev, po, da,
                                row, d);
                    }
                    relay.publish(k);
                    return;
                }
                ScanRows.fmaTrackingProduct(a, top + d, zeros, 0, gh, top, db, top, p, d);
                for (int row = top - d; row >= bottom; row -= d) {
                    ScanRows.fmaTrackingProduct(a, row + d, db, row + d, gh, row, db, row, p, d);
                }
                relay.await(k - batch);
                ScanRows.fma(p, 0, db, carry, db, bottom, db, bottom, d);
                relay.publish(k);
                ScanRows.mul(db, bottom, bottom == base ? first : h, bottom == base ? firstOff : bottom - d, da,
                        bottom, d);
                Arrays.fill(p, 1f);
                for (int row = top; row > bottom; row -= d) {
                    ScanRows.addCarryAndGrad(a, row + d, p, db, carry, db, row, h, row - d, da, row, d);
                }
            }));
        }
        if (dh0 == null) {
            return;
        }
        for (int bi = 0; bi < batch; bi++) {
            int i = bi * seqLen * d;
            for (int c = 0; c < d; c++) {
                dh0[bi * d + c] = seqLen > 0 ? a[i + c] * db[i + c] : (ghT == null ? 0f : ghT[bi * d + c]);
            }
        }
    }
}
