package dev.recur.layers.rhn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of an RHN layer between tokens: {@code s [B, H]}, the output of the last micro-step.
 *
 * <p>Byte format of {@link #toBytes()} (little-endian): the ASCII bytes {@code RHNS}, int32 version (1), int32
 * batch, int32 hidden, then {@code batch*hidden} float32 values.
 */
public final class RhnState {
    private static final int MAGIC = 0x534e4852; // "RHNS" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;

    private final Tensor s;

    public RhnState(Tensor s) {
        if (s == null) {
            throw new RecurException("RhnState: s is required");
        }
        Shapes.requireRank("RhnState", "s [batch, hidden]", s, 2);
        this.s = s;
    }

    /** A zero state. */
    public static RhnState zeros(int batch, int hidden) {
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("RhnState.zeros: batch and hidden must be positive, got " + batch + ", "
                    + hidden);
        }
        return new RhnState(Tensor.zeros(batch, hidden));
    }

    /** {@code [B, H]}. */
    public Tensor s() {
        return s;
    }

    public int batchSize() {
        return s.dim(0);
    }

    /** The same values cut from the autograd graph: truncated BPTT stops here. */
    public RhnState detach() {
        return new RhnState(s.detach());
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * s.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(s.dim(0)).putInt(s.dim(1));
        buf.asFloatBuffer().put(s.data());
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static RhnState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("RhnState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("RhnState.fromBytes: expected magic RHNS version " + VERSION + ", got magic 0x"
                    + Integer.toHexString(magic) + " version " + version);
        }
        int batch = buf.getInt();
        int hidden = buf.getInt();
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("RhnState.fromBytes: bad header batch=" + batch + " hidden=" + hidden);
        }
        long expected = HEADER_BYTES + 4L * batch * hidden;
        if (bytes.length != expected) {
            throw new RecurException("RhnState.fromBytes: header [" + batch + ", " + hidden + "] needs " + expected
                    + " bytes, got " + bytes.length);
        }
        float[] data = new float[batch * hidden];
        buf.asFloatBuffer().get(data);
        return new RhnState(Tensor.of(data, batch, hidden));
    }
}
