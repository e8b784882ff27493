package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of an echo state network between timesteps: the reservoir activations {@code x [B, N]}.
 *
 * <p>Byte format of {@link #toBytes()} (little-endian): the ASCII bytes {@code ESNS}, int32 version (1), int32
 * batch, int32 hidden, then {@code batch*hidden} float32 values.
 */
public final class EsnState {
    private static final int MAGIC = 0x534e5345; // "ESNS" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 16;

    private final Tensor x;

    public EsnState(Tensor x) {
        if (x == null) {
            throw new RecurException("EsnState: x is required");
        }
        Shapes.requireRank("EsnState", "x [batch, reservoir]", x, 2);
        this.x = x;
    }

    /** A zero state. */
    public static EsnState zeros(int batch, int hidden) {
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("EsnState.zeros: batch and hidden must be positive, got " + batch + ", "
                    + hidden);
        }
        return new EsnState(Tensor.zeros(batch, hidden));
    }

    /** {@code [B, H]}. */
    public Tensor x() {
        return x;
    }

    public int batchSize() {
        return x.dim(0);
    }

    public byte[] toBytes() {
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 4 * x.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(x.dim(0)).putInt(x.dim(1));
        buf.asFloatBuffer().put(x.data());
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static EsnState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("EsnState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("EsnState.fromBytes: expected magic ESNS version " + VERSION + ", got magic 0x"
                    + Integer.toHexString(magic) + " version " + version);
        }
        int batch = buf.getInt();
        int hidden = buf.getInt();
        if (batch <= 0 || hidden <= 0) {
            throw new RecurException("EsnState.fromBytes: bad header batch=" + batch + " hidden=" + hidden);
        }
        long expected = HEADER_BYTES + 4L * batch * hidden;
        if (bytes.length != expected) {
            throw new RecurException("EsnState.fromBytes: header [" + batch + ", " + hidden + "] needs " + expected
                    + " bytes, got " + bytes.length);
        }
        float[] data = new float[batch * hidden];
        buf.asFloatBuffer().get(data);
        return new EsnState(Tensor.of(data, batch, hidden));
    }
}
