package dev.recur.layers.ssm.s4d;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The complex diagonal state of an {@link S4dLayer} between calls: {@code re, im [B, H, M]} (M = N/2 modes), the
 * state after the last token seen, so that the next output is {@code y_t = 2 Re(C (Abar x + Bbar u_t)) + D u_t}.
 *
 * <p>Byte format of {@link #toBytes()} (little-endian): the ASCII bytes {@code S4DS}, int32 version (1), int32
 * batch, int32 channels, int32 modes, then {@code B*H*M} float32 real parts and as many imaginary parts.
 */
public final class S4dState {
    private static final int MAGIC = 0x53443453; // "S4DS" read as a little-endian int
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 20;

    private final Tensor re;
    private final Tensor im;

    public S4dState(Tensor re, Tensor im) {
        if (re == null || im == null) {
            throw new RecurException("S4dState: re and im are required");
        }
        Shapes.requireRank("S4dState", "re [batch, channels, modes]", re, 3);
        Shapes.require("S4dState", "im", re.shape(), im.shape());
        this.re = re;
        this.im = im;
    }

    /** A zero state. */
    public static S4dState zeros(int batch, int channels, int modes) {
        if (batch <= 0 || channels <= 0 || modes <= 0) {
            throw new RecurException("S4dState.zeros: sizes must be positive, got batch=" + batch + " channels="
                    + channels + " modes=" + modes);
        }
        return new S4dState(Tensor.zeros(batch, channels, modes), Tensor.zeros(batch, channels, modes));
    }

    /** {@code [B, H, M]} real parts. */
    public Tensor re() {
        return re;
    }

    /** {@code [B, H, M]} imaginary parts. */
    public Tensor im() {
        return im;
    }

    public int batchSize() {
        return re.dim(0);
    }

    /** The same values cut from the autograd graph. */
    public S4dState detach() {
        return new S4dState(re.detach(), im.detach());
    }

    /** True when every element is zero. */
    boolean isZero() {
        for (float v : re.data()) {
            if (v != 0) {
                return false;
            }
        }
        for (float v : im.data()) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    public byte[] toBytes() {
        int n = re.size();
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 8 * n).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putInt(VERSION).putInt(re.dim(0)).putInt(re.dim(1)).putInt(re.dim(2));
        buf.asFloatBuffer().put(re.data()).put(im.data());
        return buf.array();
    }

    /** Reads a state written by {@link #toBytes()}, checking the header and the length. */
    public static S4dState fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES) {
            throw new RecurException("S4dState.fromBytes: expected at least " + HEADER_BYTES + " header bytes, got "
                    + (bytes == null ? 0 : bytes.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = buf.getInt();
        int version = buf.getInt();
        if (magic != MAGIC || version != VERSION) {
            throw new RecurException("S4dState.fromBytes: expected magic S4DS version " + VERSION + ", got magic 0x"
                    + Integer.toHexString(magic) + " version " + version);
        }
        int batch = buf.getInt();
        int channels = buf.getInt();
        int modes = buf.getInt();
        if (batch <= 0 || channels <= 0 || modes <= 0) {
            throw new RecurException("S4dState.fromBytes: bad header batch=" + batch + " channels=" + channels
                    + " modes=" + modes);
        }
        long n = (long) batch * channels * modes;
        long expected = HEADER_BYTES + 8L * n;
        if (bytes.length != expected) {
            throw new RecurException("S4dState.fromBytes: header [" + batch + ", " + channels + ", " + modes
                    + "] needs " + expected + " bytes, got " + bytes.length);
        }
        float[] r = new float[(int) n];
        float[] i = new float[(int) n];
        buf.asFloatBuffer().get(r).get(i);
        return new S4dState(Tensor.of(r, batch, channels, modes), Tensor.of(i, batch, channels, modes));
    }
}
