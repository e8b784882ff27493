package dev.recur.layers.qlstm;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of a quasi-LSTM layer between tokens: the cell {@code c [B, H]}. The hidden output {@code h} is not
 * part of it: no gate reads {@code h}, so the next token needs only {@code c}.
 *
 * <p>Byte format of {@link #toBytes()} (little-endian): the ASCII bytes {@code QLST}, int32 version (1), int32
 * batch, int32 hidden, then {@code batch*hidden} float32 values.
 */
public final class QlstmState {
    private static final int MAGIC = 0x54534c51; // "QLST" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;

    private final Tensor c;

    public QlstmState(Tensor c) {
        if (c == null) {
            throw new RecurException("QlstmState: c is required");
        }
        Shapes.requireRank("QlstmState", "c [batch, hidden]", c, 2);
        this.c = c;
    }

    /** A zero state. */
    public static QlstmState zeros(int batch, int hidden) {
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("QlstmState.zeros: batch and hidden must be positive, got " + batch + ", "
                    + hidden);
        }
        return new QlstmState(Tensor.zeros(batch, hidden));
    }

    /** {@code [B, H]}. */
    public Tensor c() {
        return c;
    }

    public int batchSize() {
        return c.dim(0);
    }

    /** The same values cut from the autograd graph: truncated BPTT stops here. */
    public QlstmState detach() {
        return new QlstmState(c.detach());
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * c.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(c.dim(0)).putInt(c.dim(1));
        buf.asFloatBuffer().put(c.data());
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static QlstmState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("QlstmState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("QlstmState.fromBytes: expected magic QLST version " + VERSION + ", got magic 0x"
                    + Integer.toHexString(magic) + " version " + version);
        }
        int batch = buf.getInt();
        int hidden = buf.getInt();
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("QlstmState.fromBytes: bad header batch=" + batch + " hidden=" + hidden);
        }
        long expected = HEADER_BYTES + 4L * batch * hidden;
        if (bytes.length != expected) {
            throw new RecurException("QlstmState.fromBytes: header [" + batch + ", " + hidden + "] needs " + expected
                    + " bytes, got " + bytes.length);
        }
        float[] data = new float[batch * hidden];
        buf.asFloatBuffer().get(data);
        return new QlstmState(Tensor.of(data, batch, hidden));
    }
}
