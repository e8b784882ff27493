package dev.recur.layers.leaky;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of a leaky RNN layer between tokens: the hidden activity {@code h [B, H]}.
 *
 * <p>Byte format of {@link #toBytes()} (little-endian): the ASCII bytes {@code LKYS}, int32 version (1), int32
 * batch, int32 hidden, then {@code batch*hidden} float32 values.
 */
public final class LeakyRnnState {
    private static final int MAGIC = 0x53594b4c; // "LKYS" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;

    private final Tensor h;

    public LeakyRnnState(Tensor h) {
        if (h == null) {
            throw new RecurException("LeakyRnnState: h is required");
        }
        Shapes.requireRank("LeakyRnnState", "h [batch, hidden]", h, 2);
        this.h = h;
    }

    /** A zero state. */
    public static LeakyRnnState zeros(int batch, int hidden) {
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("LeakyRnnState.zeros: batch and hidden must be positive, got " + batch + ", "
                    + hidden);
        }
        return new LeakyRnnState(Tensor.zeros(batch, hidden));
    }

    /** {@code [B, H]}. */
    public Tensor h() {
        return h;
    }

    public int batchSize() {
        return h.dim(0);
    }

    /** The same values cut from the autograd graph: truncated BPTT stops here. */
    public LeakyRnnState detach() {
        return new LeakyRnnState(h.detach());
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * h.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(h.dim(0)).putInt(h.dim(1));
        buf.asFloatBuffer().put(h.data());
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static LeakyRnnState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("LeakyRnnState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("LeakyRnnState.fromBytes: expected magic LKYS version " + VERSION + ", got magic 0x"
                    + Integer.toHexString(magic) + " version " + version);
        }
        int batch = buf.getInt();
        int hidden = buf.getInt();
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("LeakyRnnState.fromBytes: bad header batch=" + batch + " hidden=" + hidden);
        }
        long expected = HEADER_BYTES + 4L * batch * hidden;
        if (bytes.length != expected) {
            throw new RecurException("LeakyRnnState.fromBytes: header [" + batch + ", " + hidden + "] needs " + expected
                    + " bytes, got " + bytes.length);
        }
        float[] data = new float[batch * hidden];
        buf.asFloatBuffer().get(data);
        return new LeakyRnnState(Tensor.of(data, batch, hidden));
    }
}
