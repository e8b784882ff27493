package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of a recurrent layer stack between calls: {@code h [L*dirs, B, S]} and, for the LSTM, the cell
 * {@code c [L*dirs, B, H]} (rows ordered as PyTorch's {@code h_n}: layer-major, forward before reverse). S is H
 * except for an LSTM with a projection, whose {@code h} has {@code P < H} features.
 *
 * <p>Byte format of {@link #toBytes()} (all little-endian): the four ASCII bytes {@code RNST}, int32 version,
 * int32 rows, int32 batch, int32 hidden (S), int32 hasCell (0 or 1), in version 2 only an int32 cellHidden (H),
 * then {@code rows*batch*S} float32 values of {@code h} and, when hasCell is 1, {@code rows*batch*H} of
 * {@code c}. Version 1 (no cellHidden: H = S) is written whenever the two sizes agree, so states without a
 * projection keep their bytes.
 */
public final class RnnState {
    private static final int MAGIC = 0x54534e52; // "RNST" read as a little-endian int
    private static final int VERSION = 1;
    private static final int PROJECTED_VERSION = 2;
    private static final int HEADER_BYTES = 24;

    private final Tensor h;
    private final Tensor c;

    /**
     * A state from its tensors; {@code c} is null except for the LSTM and must then match {@code h}'s first two
     * dimensions (its last is the cell size, which a projection makes larger than {@code h}'s).
     */
    public RnnState(Tensor h, Tensor c) {
        if (h == null) {
            throw new RecurException("RnnState: h is required");
        }
        Shapes.requireRank("RnnState", "h [layers*dirs, batch, hidden]", h, 3);
        if (c != null) {
            Shapes.requireRank("RnnState", "c [layers*dirs, batch, hidden]", c, 3);
            if (c.dim(0) != h.dim(0) || c.dim(1) != h.dim(1)) {
                throw new RecurException("RnnState: c " + Shapes.format(c.shape()) + " must have the rows and batch"
                        + " of h " + Shapes.format(h.shape()));
            }
        }
        this.h = h;
        this.c = c;
    }

    /** A zero state for a config and a batch size. */
    public static RnnState zeros(RnnConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("RnnState.zeros: batch must be positive, got " + batch);
        }
        int[] shape = {config.stateRows(), batch, config.stateSize()};
        int[] cellShape = {config.stateRows(), batch, config.hiddenSize()};
        return new RnnState(Tensor.zeros(shape), config.cell().hasCellState() ? Tensor.zeros(cellShape) : null);
    }

    /** {@code [L*dirs, B, S]} hidden state. */
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
        boolean projected = c != null && c.dim(2) != h.dim(2);
        int header = HEADER_BYTES + (projected ? 4 : 0);
        ByteBuffer buf = ByteBuffer.allocate(header + 4 * (n + (c == null ? 0 : c.size())))
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(projected ? PROJECTED_VERSION : VERSION).putInt(h.dim(0)).putInt(h.dim(1))
                .putInt(h.dim(2)).putInt(c == null ? 0 : 1);
        if (projected) {
            buf.putInt(c.dim(2));
        }
        buf.asFloatBuffer().put(h.data());
        if (c != null) {
            buf.position(header + 4 * n);
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
        if (magic != MAGIC || (version != VERSION && version != PROJECTED_VERSION)) {
            throw new RecurException("RnnState.fromBytes: expected magic RNST version " + VERSION + " or "
                    + PROJECTED_VERSION + ", got magic 0x" + Integer.toHexString(magic) + " version " + version);
        }
        int rows = buf.getInt();
        int batch = buf.getInt();
        int hidden = buf.getInt();
        int hasCell = buf.getInt();
        boolean projected = version == PROJECTED_VERSION;
        if (projected && bytes.length < HEADER_BYTES + 4) {
            throw new RecurException("RnnState.fromBytes: version 2 needs " + (HEADER_BYTES + 4) + " header bytes, got "
                    + bytes.length);
        }
        int cellHidden = projected ? buf.getInt() : hidden;
        if (rows <= 0 || batch <= 0 || hidden <= 0 || cellHidden <= 0 || (hasCell != 0 && hasCell != 1)
                || (projected && hasCell != 1)) {
            throw new RecurException("RnnState.fromBytes: bad header rows=" + rows + " batch=" + batch
                    + " hidden=" + hidden + " hasCell=" + hasCell + (projected ? " cellHidden=" + cellHidden : ""));
        }
        int header = HEADER_BYTES + (projected ? 4 : 0);
        long n = (long) rows * batch * hidden;
        long cells = hasCell * (long) rows * batch * cellHidden;
        long expected = header + 4L * (n + cells);
        if (bytes.length != expected) {
            throw new RecurException("RnnState.fromBytes: header [" + rows + ", " + batch + ", " + hidden
                    + "] with hasCell=" + hasCell + (projected ? " cellHidden=" + cellHidden : "") + " needs "
                    + expected + " bytes, got " + bytes.length);
        }
        float[] hData = new float[(int) n];
        buf.position(header);
        buf.asFloatBuffer().get(hData);
        Tensor c = null;
        if (hasCell == 1) {
            float[] cData = new float[(int) cells];
            buf.position(header + 4 * (int) n);
            buf.asFloatBuffer().get(cData);
            c = Tensor.of(cData, rows, batch, cellHidden);
        }
        return new RnnState(Tensor.of(hData, rows, batch, hidden), c);
    }
}
