package dev.recur.core.io;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Decodes runs of elements of one storage of a {@code torch.save} archive (its bytes lie at a known place in the
 * file) into float32 or int32 arrays. The bytes are memory-mapped in windows of at most 1 GiB, a multiple of every
 * element size, so a run never straddles two windows' element boundaries and any storage size works.
 */
final class StorageReader {
    private static final long WINDOW_BYTES = 1L << 30;

    private final String where;
    private final FileChannel channel;
    private final long fileOffset;
    private final long byteLength;
    private final DType dtype;
    private final ByteOrder order;
    private ByteBuffer window;
    private long windowStart = -1;

    /**
     * @param where names the file and tensor in error messages
     * @param fileOffset where the storage's bytes start in the file
     * @param byteLength the storage's length in bytes
     */
    StorageReader(String where, FileChannel channel, long fileOffset, long byteLength, DType dtype, ByteOrder order) {
        this.where = where;
        this.channel = channel;
        this.fileOffset = fileOffset;
        this.byteLength = byteLength;
        this.dtype = dtype;
        this.order = order;
    }

    /** Decodes {@code count} consecutive elements from storage element {@code element} into {@code out[at..]}. */
    void floats(long element, int count, float[] out, int at) {
        int size = dtype.byteSize();
        while (count > 0) {
            int n = map(element, count);
            int rel = (int) (element * size - windowStart);
            switch (dtype) {
                case F32 -> window.duplicate().order(order).position(rel).asFloatBuffer().get(out, at, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = HalfFloats.f16ToFloat(window.getShort(rel + 2 * i));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = HalfFloats.bf16ToFloat(window.getShort(rel + 2 * i));
                    }
                }
                case F64 -> {
                    for (int i = 0; i < n; i++) {
                        out[at + i] = (float) window.getDouble(rel + 8 * i);
                    }
                }
                default -> throw new IllegalStateException(dtype.name());
            }
            element += n;
            at += n;
            count -= n;
        }
    }

    /**
     * Decodes {@code count} consecutive elements into {@code out[at..]}; an I64 outside int32 or a BOOL byte other
     * than 0 or 1 is an error naming the tensor element ({@code out}'s index).
     */
    void ints(long element, int count, int[] out, int at) {
        int size = dtype.byteSize();
        while (count > 0) {
            int n = map(element, count);
            int rel = (int) (element * size - windowStart);
            for (int i = 0; i < n; i++) {
                int p = rel + size * i;
                out[at + i] = switch (dtype) {
                    case I64 -> {
                        long v = window.getLong(p);
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw new RecurException(where + ": element " + (at + i) + ": expected an I64 value in "
                                    + "the int32 range, got " + v);
                        }
                        yield (int) v;
                    }
                    case I32 -> window.getInt(p);
                    case I16 -> window.getShort(p);
                    case I8 -> window.get(p);
                    case U8 -> window.get(p) & 0xff;
                    case BOOL -> {
                        int v = window.get(p) & 0xff;
                        if (v > 1) {
                            throw new RecurException(where + ": element " + (at + i) + ": expected a BOOL byte 0 or "
                                    + "1, got " + v);
                        }
                        yield v;
                    }
                    default -> throw new IllegalStateException(dtype.name());
                };
            }
            element += n;
            at += n;
            count -= n;
        }
    }

    /** Maps the window holding {@code element}; returns how many of the {@code count} elements it holds. */
    private int map(long element, int count) {
        long position = element * dtype.byteSize();
        if (window == null || position < windowStart || position >= windowStart + window.capacity()) {
            windowStart = position / WINDOW_BYTES * WINDOW_BYTES;
            long length = Math.min(WINDOW_BYTES, byteLength - windowStart);
            try {
                long now = channel.size();
                if (fileOffset + windowStart + length > now) {
                    throw new RecurException(where + ": the file changed after it was opened: expected at least "
                            + (fileOffset + windowStart + length) + " bytes, got " + now);
                }
                window = channel.map(FileChannel.MapMode.READ_ONLY, fileOffset + windowStart, length).order(order);
            } catch (IOException e) {
                throw new UncheckedIOException(where + ": cannot map bytes " + (fileOffset + windowStart) + ".."
                        + (fileOffset + windowStart + length) + ": " + e.getMessage(), e);
            }
        }
        long left = (windowStart + window.capacity() - position) / dtype.byteSize();
        return (int) Math.min(count, left);
    }
}
