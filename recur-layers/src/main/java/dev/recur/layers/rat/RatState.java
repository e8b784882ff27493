package dev.recur.layers.rat;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What a RAT layer carries between calls: the final recurrent key and value of every completed chunk
 * ({@code chunkKeys}, {@code chunkValues}: {@code [B, heads, C, headDim]}, oldest first, {@code C = position / L}),
 * the running in-chunk state ({@code running [B, 2 * heads * headDim]}: keys' channels then values'; after a
 * chunk boundary it still holds the last chunk's state, which the next token's reset ignores) and the number of
 * tokens seen. Per stream this is {@code 2 * (C + 1) * heads * headDim} floats, about {@code L} times fewer than
 * an attention key/value cache of the same tokens.
 */
public record RatState(Tensor chunkKeys, Tensor chunkValues, Tensor running, long position) {
    private static final int MAGIC = 0x52415431; // "RAT1"

    public RatState {
        if (chunkKeys == null || chunkValues == null || running == null) {
            throw new RecurException("rat state: chunkKeys, chunkValues and running are required");
        }
        Shapes.requireRank("rat state", "chunkKeys [B, heads, C, headDim]", chunkKeys, 4);
        Shapes.require("rat state", "chunkValues (same as chunkKeys)", chunkKeys.shape(), chunkValues.shape());
        Shapes.require("rat state", "running [B, 2 * heads * headDim]",
                new int[] {chunkKeys.dim(0), 2 * chunkKeys.dim(1) * chunkKeys.dim(3)}, running.shape());
        if (position < 0) {
            throw new RecurException("rat state: position must be >= 0, got " + position);
        }
    }

    /** The state before any token, for {@code batch} streams. */
    public static RatState initial(RatConfig config, int batch) {
        if (batch <= 0) {
            throw new RecurException("rat state: batch must be > 0, got " + batch);
        }
        return new RatState(Tensor.zeros(batch, config.heads(), 0, config.headDim()),
                Tensor.zeros(batch, config.heads(), 0, config.headDim()),
                Tensor.zeros(batch, 2 * config.innerDim()), 0);
    }

    /** Completed chunks held. */
    public int chunks() {
        return chunkKeys.dim(2);
    }

    /** Floats the state holds (all streams). */
    public long floatCount() {
        return (long) chunkKeys.size() + chunkValues.size() + running.size();
    }

    /** Checks that this state fits a chunk of {@code batch} streams under {@code config}. */
    public void check(RatConfig config, int batch, String where) {
        long expectedChunks = position / config.chunkLen();
        if (expectedChunks > Integer.MAX_VALUE) {
            throw new RecurException(where + ": position " + position + " has too many chunks to cache");
        }
        int[] expected = {batch, config.heads(), (int) expectedChunks, config.headDim()};
        Shapes.require(where, "chunk keys at position " + position, expected, chunkKeys.shape());
    }

    /** Cut from the autograd graph. */
    public RatState detach() {
        return new RatState(chunkKeys.detach(), chunkValues.detach(), running.detach(), position);
    }

    /** Little-endian bytes: magic, position, B, heads, C, headDim, then keys, values, running as float32. */
    public byte[] toBytes() {
        int floats = chunkKeys.size() + chunkValues.size() + running.size();
        ByteBuffer buf = ByteBuffer.allocate(4 + 8 + 4 * 4 + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(MAGIC).putLong(position);
        for (int d : chunkKeys.shape()) {
            buf.putInt(d);
        }
        for (Tensor t : new Tensor[] {chunkKeys, chunkValues, running}) {
            for (float f : t.data()) {
                buf.putFloat(f);
            }
        }
        return buf.array();
    }

    /** Reads what {@link #toBytes()} wrote. */
    public static RatState fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new RecurException("rat state bytes: expected bytes, got null");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int magic = buf.getInt();
            if (magic != MAGIC) {
                throw new RecurException("rat state bytes: expected magic 0x" + Integer.toHexString(MAGIC)
                        + ", got 0x" + Integer.toHexString(magic));
            }
            long position = buf.getLong();
            int[] shape = {buf.getInt(), buf.getInt(), buf.getInt(), buf.getInt()};
            for (int d : shape) {
                if (d < 0) {
                    throw new RecurException("rat state bytes: negative dimension in " + Shapes.format(shape));
                }
            }
            long cacheFloats;
            long runningFloats;
            long expected;
            try {
                cacheFloats = Math.multiplyExact(Math.multiplyExact((long) shape[0] * shape[1], shape[2]), shape[3]);
                runningFloats = Math.multiplyExact(2L * shape[0] * shape[1], shape[3]);
                expected = Math.multiplyExact(4L, Math.addExact(Math.multiplyExact(2L, cacheFloats), runningFloats));
            } catch (ArithmeticException e) {
                throw new RecurException("rat state bytes: shape " + Shapes.format(shape) + " is too large");
            }
            if (expected != buf.remaining()) {
                throw new RecurException("rat state bytes: shape " + Shapes.format(shape) + " needs " + expected
                        + " bytes of data, got " + buf.remaining());
            }
            Tensor keys = Tensor.of(read(buf, (int) cacheFloats), shape);
            Tensor values = Tensor.of(read(buf, (int) cacheFloats), shape);
            Tensor running = Tensor.of(read(buf, (int) runningFloats), shape[0], 2 * shape[1] * shape[3]);
            return new RatState(keys, values, running, position);
        } catch (BufferUnderflowException e) {
            throw new RecurException("rat state bytes: truncated header, got " + bytes.length + " bytes");
        }
    }

    private static float[] read(ByteBuffer buf, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = buf.getFloat();
        }
        return out;
    }
}
