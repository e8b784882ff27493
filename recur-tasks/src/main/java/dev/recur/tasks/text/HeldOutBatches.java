package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Evaluation batches over held-out bytes, in order and without overlap in the targets.
 *
 * <p>The bytes are cut into {@code batchSize} equal contiguous slices of {@code L = floor(n / batchSize)} bytes
 * (the last {@code n mod batchSize} bytes are not scored). Row {@code b} of successive batches walks slice
 * {@code b} from its start: every byte of the slice but the first is a target exactly once, so a full pass scores
 * {@link #predictedBytes()} bytes with all earlier bytes of the slice as context. Batches are {@code [batchSize,
 * seqLen]} except the last, which is as long as what is left. The first batch flags every row for a state reset.
 * Each call to {@link #iterator()} starts a new pass.
 */
public final class HeldOutBatches implements Iterable<ByteBatch> {
    private final int[] ids;
    private final int batchSize;
    private final int seqLen;
    private final int sliceLength;

    HeldOutBatches(int[] heldOut, int batchSize, int seqLen, String unit) {
        if (batchSize < 1 || seqLen < 1) {
            throw new RecurException("ByteBatcher.evaluation: expected batchSize >= 1 and seqLen >= 1, got"
                    + " batchSize " + batchSize + ", seqLen " + seqLen);
        }
        this.sliceLength = heldOut.length / batchSize;
        if (sliceLength < 2) {
            throw new RecurException("ByteBatcher.evaluation: expected at least 2 * batchSize = "
                    + (2L * batchSize) + " held-out bytes (batchSize " + batchSize + "), got " + heldOut.length);
        }
        this.ids = heldOut;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
    }

    /** The number of bytes a full pass predicts (the sum of all target counts). */
    public long predictedBytes() {
        return (long) batchSize * (sliceLength - 1);
    }

    /** The number of batches in a pass. */
    public int batchCount() {
        return (sliceLength - 1 + seqLen - 1) / seqLen;
    }

    @Override
    public Iterator<ByteBatch> iterator() {
        return new Iterator<>() {
            private int offset;
            private long index;

            @Override
            public boolean hasNext() {
                return offset < sliceLength - 1;
            }

            @Override
            public ByteBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("held-out batches: the pass is complete");
                }
                int len = Math.min(seqLen, sliceLength - 1 - offset);
                int[] inputs = new int[batchSize * len];   // [B, len]
                int[] targets = new int[batchSize * len];  // [B, len]
                for (int b = 0; b < batchSize; b++) {
                    int start = b * sliceLength + offset;
                    for (int t = 0; t < len; t++) {
                        inputs[b * len + t] = ids[start + t];
                        targets[b * len + t] = ids[start + t + 1];
                    }
                }
                boolean[] reset = new boolean[batchSize];
                Arrays.fill(reset, offset == 0);
                offset += len;
                return new ByteBatch(index++, IntTensor.of(inputs, batchSize, len),
                        IntTensor.of(targets, batchSize, len), reset);
            }
        };
    }
}
