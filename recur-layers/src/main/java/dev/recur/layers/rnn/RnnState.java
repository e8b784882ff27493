package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of a recurrent layer stack between calls: {@code h [L*dirs, B, H]} and, for the LSTM, the cell
 * {@code c} of the same shape (rows ordered as PyTorch's {@code h_n}: layer-major, forward before reverse).
 *
 * <p>Byte format of {@link #toBytes()} (all little-endian): the four ASCII bytes {@code RNST}, int32 version
 * (1), int32 rows, int32 batch, int32 hidden, int32 hasCell (0 or 1), then {@code rows*batch*hidden} float32
 * values of {@code h} and, when hasCell is 1, as many of {@code c}.
 */
public final class RnnState {
    private static final int MAGIC = 0x54534e52; // "RNST" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 24;

    private final Tensor h;
    private final Tensor c;

    /** A state from its tensors; {@code c} is null except for the LSTM and must then match {@code h}'s shape. */
    public RnnState(Tensor h, Tensor c) {
        if (h == null) {
            throw new RecurException("RnnState: h is required");
        }
        Shapes.requireRank("RnnState", "h [layers*dirs, batch, hidden]", h, 3);
        if (c != null) {
            Shapes.require("RnnState", "c", h.shape(), c.shape());
        }
        this.h = h;
        this.c = c;
    }

    /** A zero state for a config and a batch size. */
    public static RnnState zeros(RnnConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("RnnState.zeros: batch must be positive, got " + batch);
        }
        int[] shape = {config.stateRows(), batch, config.hiddenSize()};
        return new RnnState(Tensor.zeros(shape), config.cell().hasCellState() ? Tensor.zeros(shape) : null);
    }

    /** {@code [L*dirs, B, H]} hidden state. */
    public Tensor h() {
        return h;
    }

    /** {@code [L*dirs, B, H]} cell state of an LSTM, or null. */
    public Tensor c() {
        return c;
    }

    public int batchSize() {
        return h.dim(1);
    }

    /** The same values cut from the autograd graph: truncated BPTT stops here. */
    public RnnState detach() {
        return new RnnState(h.detach(), c == null ? null : c.detach());
    }

    /** The state in the byte format described above. */
    public byte[] toBytes() {
        int n = h.size();
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * n * (c == null ? 1 : 2)).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(h.dim(0)).putInt(h.dim(1)).putInt(h.dim(2)).putInt(c == null ? 0 : 1);
        buf.asFloatBuffer().put(h.data());
        if (c != null) {
            buf.position(HEADER_BYTES + 4 * n);
            buf.asFloatBuffer().put(c.data());
        }
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static RnnState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("RnnState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("RnnState.fromBytes: expected magic RNST version " + VERSION
                    + ", got magic 0x" + Integer.toHexString(magic) + " version " + version);
        }
        int rows = buf.getInt();
        int batch = buf.getInt();
        int hidden = buf.getInt();
        int hasCell = buf.getInt();
        if (rows <= 0 || batch <= 0 || hidden <= 0 || (hasCell != 0 && hasCell != 1)) {
            throw new RecurException("RnnState.fromBytes: bad header rows=" + rows + " batch=" + batch
                    + " hidden=" + hidden + " hasCell=" + hasCell);
        }
        long n = (long) rows * batch * hidden;
        long expected = HEADER_BYTES + 4L * n * (1 + hasCell);
        if (bytes.length != expected) {
            throw new RecurException("RnnState.fromBytes: header [" + rows + ", " + batch + ", " + hidden
                    + "] with hasCell=" + hasCell + " needs " + expected + " bytes, got " + bytes.length);
        }
        float[] hData = new float[(int) n];
        buf.asFloatBuffer().get(hData);
        Tensor c = null;
        if (hasCell == 1) {
            float[] cData = new float[(int) n];
            buf.position(HEADER_BYTES + 4 * (int) n);
            buf.asFloatBuffer().get(cData);
            c = Tensor.of(cData, rows, batch, hidden);
        }
        return new RnnState(Tensor.of(hData, rows, batch, hidden), c);
    }
}
