package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;

/**
 * Byte-level language-model batches for truncated backpropagation through time.
 *
 * <p>The training bytes are cut into {@code batchSize} equal contiguous slices, one per stream (row). A slice of
 * {@code L} bytes holds {@code W = floor((L - 1) / seqLen)} windows of {@code seqLen + 1} bytes starting at
 * multiples of {@code seqLen}; consecutive windows overlap by one byte, so the inputs of consecutive batches are
 * contiguous text and each window's targets are its inputs shifted by one. Each stream starts at a window chosen
 * from the seed and walks its slice in order, wrapping to the slice's first window after the last; the batch where
 * a stream (re)starts flags it in {@link ByteBatch#resetState()} (the first batch flags every stream).
 *
 * <p>Batch {@code k} is a pure function of the bytes, the shape, the seed and {@code k}: {@link #position()}
 * (the number of batches drawn) is the whole data position a checkpoint needs, and {@link #seek(long)} restores
 * it. Bytes past the last whole slice, and at most {@code seqLen - 1} bytes at the end of each slice, are never
 * used.
 */
public final class ByteBatcher {
    private final int[] ids;
    private final int batchSize;
    private final int seqLen;
    private final int sliceLength;
    private final int windowsPerPass;
    private final int[] startWindow;
    private long position;

    /**
     * @param training the bytes to read (turned into ids 0..255 once)
     * @param batchSize the number of streams (rows), at least 1
     * @param seqLen the window length (columns), at least 1
     * @param seed chooses each stream's starting window
     */
    public ByteBatcher(byte[] training, int batchSize, int seqLen, long seed) {
        this(byteIds(training), batchSize, seqLen, seed, "bytes");
    }

    /**
     * The same walk over token ids of any vocabulary ({@code training} is not copied; must not change while the
     * batcher is used): for a model whose tokens are not bytes.
     */
    public static ByteBatcher ofIds(int[] training, int batchSize, int seqLen, long seed) {
        return new ByteBatcher(training, batchSize, seqLen, seed, "tokens");
    }

    /** Byte values as ids {@code 0..255}. */
    static int[] byteIds(byte[] bytes) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = bytes[i] & 0xff;
        }
        return ids;
    }

    private ByteBatcher(int[] training, int batchSize, int seqLen, long seed, String unit) {
        if (batchSize < 1 || seqLen < 1) {
            throw new RecurException("ByteBatcher: expected batchSize >= 1 and seqLen >= 1, got batchSize "
                    + batchSize + ", seqLen " + seqLen);
        }
        this.sliceLength = training.length / batchSize;
        if (sliceLength < seqLen + 1) {
            throw new RecurException("ByteBatcher: expected at least batchSize * (seqLen + 1) = "
                    + ((long) batchSize * (seqLen + 1)) + " training bytes (batchSize " + batchSize + ", seqLen "
                    + seqLen + "), got " + training.length);
        }
        this.ids = training;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.windowsPerPass = (sliceLength - 1) / seqLen;
        Rng rng = new Rng(seed);
        this.startWindow = new int[batchSize];
        for (int b = 0; b < batchSize; b++) {
            startWindow[b] = rng.nextInt(windowsPerPass);
        }
    }

    public int batchSize() {
        return batchSize;
    }

    public int seqLen() {
        return seqLen;
    }

    /** Target bytes per batch: {@code batchSize * seqLen}. */
    public long tokensPerBatch() {
        return (long) batchSize * seqLen;
    }

    /** Windows each stream reads before it wraps around. */
    public int windowsPerPass() {
        return windowsPerPass;
    }

    /** The number of batches drawn so far: the index of the next batch. */
    public long position() {
        return position;
    }

    /** Makes {@code batchIndex} the next batch, as if that many batches had been drawn. */
    public void seek(long batchIndex) {
        if (batchIndex < 0) {
            throw new RecurException("ByteBatcher.seek: expected a batch index >= 0, got " + batchIndex);
        }
        position = batchIndex;
    }

    /** The next batch; there is always one (streams wrap around). */
    public ByteBatch next() {
        long k = position++;
        int[] inputs = new int[batchSize * seqLen];   // [B, T]
        int[] targets = new int[batchSize * seqLen];  // [B, T]
        boolean[] reset = new boolean[batchSize];
        for (int b = 0; b < batchSize; b++) {
            int window = (int) ((startWindow[b] + k) % windowsPerPass);
            reset[b] = k == 0 || window == 0;
            int start = b * sliceLength + window * seqLen;
            for (int t = 0; t < seqLen; t++) {
                inputs[b * seqLen + t] = ids[start + t];
                targets[b * seqLen + t] = ids[start + t + 1];
            }
        }
        return new ByteBatch(k, IntTensor.of(inputs, batchSize, seqLen), IntTensor.of(targets, batchSize, seqLen),
                reset);
    }

    /**
     * Batches that score held-out bytes in order; see {@link HeldOutBatches}.
     *
     * @param heldOut the validation bytes (not copied)
     */
    public static HeldOutBatches evaluation(byte[] heldOut, int batchSize, int seqLen) {
        return new HeldOutBatches(byteIds(heldOut), batchSize, seqLen, "bytes");
    }

    /** The same over held-out token ids of any vocabulary (not copied). */
    public static HeldOutBatches evaluationOfIds(int[] heldOut, int batchSize, int seqLen) {
        return new HeldOutBatches(heldOut, batchSize, seqLen, "tokens");
    }
}
