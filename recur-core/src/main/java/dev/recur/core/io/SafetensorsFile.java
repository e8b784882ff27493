package dev.recur.core.io;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A safetensors file opened for reading: an 8-byte little-endian header length N, N bytes of UTF-8 JSON that
 * describe each tensor (dtype, shape, byte range), then the tensors' bytes.
 *
 * <p>{@link #open(Path)} validates the whole header before anything else (see {@code docs/safetensors.md}); a
 * malformed file fails with a one-line {@link RecurException} naming the file and the problem. Tensor data is
 * memory-mapped on demand and converted on read. Instances are safe to share between threads.
 * {@link TensorFiles#open} opens this or a {@code torch.save} file ({@link PtFile}) behind {@link TensorFile}.
 */
public final class SafetensorsFile implements TensorFile {
    /** Mapped window size for large tensors: a multiple of every element size, and below the 2 GiB map limit. */
    private static final long WINDOW_BYTES = 1L << 30;

    private final Path path;
    private final String source;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final long dataStart;
    private final long fileSize;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header, long fileSize) {
        this.path = path;
        this.source = path.toString();
        this.channel = channel;
        this.header = header;
        this.dataStart = 8 + header.headerLength;
        this.fileSize = fileSize;
    }

    /**
     * Opens and validates a safetensors file.
     *
     * @throws RecurException if the file is not a valid safetensors file (the message names the file)
     * @throws IOException if it cannot be read (missing, a folder, no permission)
     */
    public static SafetensorsFile open(Path path) throws IOException {
        String source = path.toString();
        if (Files.isDirectory(path)) {
            throw new RecurException(source + ": expected a safetensors file, got a folder");
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new RecurException(source + ": expected at least 8 bytes (the header length), got a file of "
                        + size + " bytes");
            }
            ByteBuffer lengthBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = SafetensorsHeader.checkHeaderLength(source, size, lengthBytes.getLong(0));
            // Safe to allocate: the length is capped and no larger than the file.
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
            SafetensorsHeader header = SafetensorsHeader.parse(source, headerBytes, size);
            return new SafetensorsFile(path, channel, header, size);
        } catch (RuntimeException | IOException e) {
            channel.close();
            throw e;
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    /** Tensor names, sorted. */
    @Override
    public List<String> names() {
        return new ArrayList<>(header.tensors.keySet());
    }

    @Override
    public boolean contains(String name) {
        return header.tensors.containsKey(name);
    }

    /** A tensor's header entry; a {@link RecurException} naming the file and the tensor if absent. */
    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors.get(name);
        if (info == null) {
            throw new RecurException(source + ": no tensor named " + SafetensorsHeader.quote(name) + " (the file has "
                    + header.tensors.size() + " tensors" + nearbyNames() + ")");
        }
        return info;
    }

    private String nearbyNames() {
        List<String> names = names();
        if (names.isEmpty()) {
            return "";
        }
        int shown = Math.min(names.size(), 5);
        return ": " + String.join(", ", names.subList(0, shown)) + (names.size() > shown ? ", ..." : "");
    }

    /** The {@code __metadata__} string map, sorted by key; empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** Size of the JSON header in bytes (padding included). */
    public long headerLength() {
        return header.headerLength;
    }

    /** Size of the file in bytes. */
    public long fileSize() {
        return fileSize;
    }

    @Override
    public Path path() {
        return path;
    }

    /** Reads an F32, F16, BF16 or F64 tensor as a float32 {@link Tensor} (F64 rounds to nearest). */
    @Override
    public Tensor readFloat(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new RecurException(where(info) + ": expected a float dtype (F32, F16, BF16, F64), got "
                    + info.dtype() + "; read it with readInt");
        }
        int[] shape = intShape(info);
        float[] out = new float[(int) info.numel()];
        DType dtype = info.dtype();
        int[] index = {0};
        forEachWindow(info, buf -> {
            int i = index[0];
            switch (dtype) {
                case F32:
                    int n = buf.remaining() / 4;
                    buf.asFloatBuffer().get(out, i, n);
                    i += n;
                    break;
                case F16:
                    while (buf.hasRemaining()) {
                        out[i++] = HalfFloats.f16ToFloat(buf.getShort());
                    }
                    break;
                case BF16:
                    while (buf.hasRemaining()) {
                        out[i++] = HalfFloats.bf16ToFloat(buf.getShort());
                    }
                    break;
                case F64:
                    while (buf.hasRemaining()) {
                        out[i++] = (float) buf.getDouble();
                    }
                    break;
                default:
                    throw new IllegalStateException(dtype.name());
            }
            index[0] = i;
        });
        return Tensor.of(out, shape);
    }

    /**
     * Reads an I64, I32, I16, I8, U8 or BOOL tensor as an int32 {@link IntTensor}; fails naming the element when an
     * I64 value does not fit in int32 or a BOOL byte is neither 0 nor 1.
     */
    @Override
    public IntTensor readInt(String name) {
        TensorInfo info = info(name);
        if (info.dtype().isFloating()) {
            throw new RecurException(where(info) + ": expected an integer dtype (I64, I32, I16, I8, U8, BOOL), got "
                    + info.dtype() + "; read it with readFloat");
        }
        int[] shape = intShape(info);
        int[] out = new int[(int) info.numel()];
        DType dtype = info.dtype();
        int[] index = {0};
        forEachWindow(info, buf -> {
            int i = index[0];
            while (buf.hasRemaining()) {
                switch (dtype) {
                    case I64: {
                        long v = buf.getLong();
                        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                            throw new RecurException(where(info) + ": element " + i + ": expected an I64 value in "
                                    + "the int32 range, got " + v);
                        }
                        out[i++] = (int) v;
                        break;
                    }
                    case I32:
                        out[i++] = buf.getInt();
                        break;
                    case I16:
                        out[i++] = buf.getShort();
                        break;
                    case I8:
                        out[i++] = buf.get();
                        break;
                    case U8:
                        out[i++] = buf.get() & 0xff;
                        break;
                    case BOOL: {
                        int v = buf.get() & 0xff;
                        if (v > 1) {
                            throw new RecurException(where(info) + ": element " + i + ": expected a BOOL byte 0 or 1, "
                                    + "got " + v);
                        }
                        out[i++] = v;
                        break;
                    }
                    default:
                        throw new IllegalStateException(dtype.name());
                }
            }
            index[0] = i;
        });
        return IntTensor.of(out, shape);
    }

    /**
     * The tensor's bytes as a read-only, little-endian buffer (memory-mapped), for callers that convert
     * themselves. Fails for a tensor over 2 GiB, which one buffer cannot hold.
     */
    public ByteBuffer raw(String name) {
        TensorInfo info = info(name);
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new RecurException(where(info) + ": expected at most " + Integer.MAX_VALUE + " bytes for raw(), got "
                    + info.byteLength() + "; use readFloat or readInt");
        }
        return map(info.begin(), info.byteLength());
    }

    private interface WindowConsumer {
        void accept(ByteBuffer window);
    }

    /** Hands the tensor's bytes over in mapped windows that each hold whole elements. */
    private void forEachWindow(TensorInfo info, WindowConsumer consumer) {
        for (long at = info.begin(); at < info.end(); at += WINDOW_BYTES) {
            ByteBuffer window = map(at, Math.min(WINDOW_BYTES, info.end() - at));
            try {
                consumer.accept(window);
            } catch (InternalError e) {
                // A mapped read faults (and the JVM reports an InternalError) when the file shrank after open.
                throw new RecurException(where(info) + ": the file changed while it was read (" + e.getMessage() + ")",
                        e);
            }
        }
    }

    private ByteBuffer map(long begin, long length) {
        if (closed) {
            throw new RecurException(source + ": the file is closed");
        }
        if (length == 0) {
            return ByteBuffer.allocate(0).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            long now = channel.size();
            if (dataStart + begin + length > now) {
                throw new RecurException(source + ": the file changed after it was opened: expected at least "
                        + (dataStart + begin + length) + " bytes, got " + now);
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, length)
                    .asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot map bytes " + (dataStart + begin) + ".."
                    + (dataStart + begin + length) + ": " + e.getMessage(), e);
        }
    }

    private int[] intShape(TensorInfo info) {
        return TensorFiles.inMemoryShape(where(info), info.shape(), info.numel());
    }

    private String where(TensorInfo info) {
        return source + ": tensor " + SafetensorsHeader.quote(info.name()) + " (" + info.dtype() + ")";
    }

    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsFile[" + source + ", " + header.tensors.size() + " tensors]";
    }
}
