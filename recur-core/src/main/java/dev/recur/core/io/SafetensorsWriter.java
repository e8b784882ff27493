package dev.recur.core.io;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a safetensors file: add tensors and metadata, then {@link #write(Path)}.
 *
 * <p>The output is canonical, so two writes of the same content are byte-identical: compact JSON with
 * {@code __metadata__} first (omitted when empty), then tensors sorted by name, data in that order, the header
 * padded with spaces so that the data starts at a multiple of 8. Tensors are held by reference and encoded when
 * {@code write} runs. The file appears atomically: it is written to a temporary file in the same folder,
 * fsynced, then moved over the target.
 */
public final class SafetensorsWriter {
    private static final int CHUNK_BYTES = 1 << 20;

    private record Entry(DType dtype, long[] shape, float[] floats, int[] ints) {
        long byteLength() {
            return (long) (floats != null ? floats.length : ints.length) * dtype.byteSize();
        }
    }

    private final Map<String, String> metadata = new TreeMap<>();
    private final Map<String, Entry> tensors = new TreeMap<>();

    /** Adds a {@code __metadata__} entry; a key may be given once. */
    public SafetensorsWriter metadata(String key, String value) {
        checkString("metadata key", key);
        checkString("metadata value for key " + SafetensorsHeader.quote(key), value);
        if (metadata.containsKey(key)) {
            throw new RecurException("SafetensorsWriter.metadata: key " + SafetensorsHeader.quote(key)
                    + " was already set");
        }
        metadata.put(key, value);
        return this;
    }

    /** Adds a float tensor, stored as F32. */
    public SafetensorsWriter add(String name, Tensor t) {
        return add(name, t, DType.F32);
    }

    /** Adds a float tensor stored as F32, F16, BF16 (rounded to nearest even) or F64. */
    public SafetensorsWriter add(String name, Tensor t, DType dtype) {
        checkName(name);
        if (dtype == null || !dtype.isFloating()) {
            throw new RecurException("SafetensorsWriter.add " + SafetensorsHeader.quote(name)
                    + ": a float Tensor needs dtype F32, F16, BF16 or F64, got " + dtype);
        }
        tensors.put(name, new Entry(dtype, longShape(t.shape()), t.data(), null));
        return this;
    }

    /**
     * Adds every tensor of {@code file} (safetensors or torch.save) under its name and in its own dtype; F64
     * values pass through float32, as every read does.
     */
    public SafetensorsWriter addAll(TensorFile file) {
        for (String name : file.names()) {
            DType dtype = file.info(name).dtype();
            if (dtype.isFloating()) {
                add(name, file.readFloat(name), dtype);
            } else {
                add(name, file.readInt(name), dtype);
            }
        }
        return this;
    }

    /** Adds an int tensor stored as I64, I32, I16, I8, U8 or BOOL; values must fit the dtype. */
    public SafetensorsWriter add(String name, IntTensor t, DType dtype) {
        checkName(name);
        if (dtype == null || dtype.isFloating()) {
            throw new RecurException("SafetensorsWriter.add " + SafetensorsHeader.quote(name)
                    + ": an IntTensor needs dtype I64, I32, I16, I8, U8 or BOOL, got " + dtype);
        }
        long min = switch (dtype) {
            case I16 -> Short.MIN_VALUE;
            case I8 -> Byte.MIN_VALUE;
            case U8, BOOL -> 0;
            default -> Integer.MIN_VALUE;
        };
        long max = switch (dtype) {
            case I16 -> Short.MAX_VALUE;
            case I8 -> Byte.MAX_VALUE;
            case U8 -> 255;
            case BOOL -> 1;
            default -> Integer.MAX_VALUE;
        };
        int[] data = t.data();
        for (int i = 0; i < data.length; i++) {
            if (data[i] < min || data[i] > max) {
                throw new RecurException("SafetensorsWriter.add " + SafetensorsHeader.quote(name) + " as " + dtype
                        + ": element " + i + ": expected a value in [" + min + ", " + max + "], got " + data[i]);
            }
        }
        tensors.put(name, new Entry(dtype, longShape(t.shape()), null, data));
        return this;
    }

    private void checkName(String name) {
        checkString("tensor name", name);
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new RecurException("SafetensorsWriter.add: the name \"__metadata__\" is reserved for metadata");
        }
        if (tensors.containsKey(name)) {
            throw new RecurException("SafetensorsWriter.add: tensor " + SafetensorsHeader.quote(name)
                    + " was already added");
        }
    }

    private static void checkString(String what, String s) {
        if (s == null) {
            throw new RecurException("SafetensorsWriter: " + what + ": expected a string, got null");
        }
        // Fails on unpaired surrogates, which have no UTF-8 form.
        JsonWriter.appendString(new StringBuilder(), s);
    }

    private static long[] longShape(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    /** The exact header bytes this writer produces, padding included. */
    byte[] headerBytes() {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            JsonWriter.appendString(json, SafetensorsHeader.METADATA_KEY).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                JsonWriter.appendString(json, e.getKey()).append(':');
                JsonWriter.appendString(json, e.getValue());
            }
            json.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            Entry t = e.getValue();
            JsonWriter.appendString(json, e.getKey()).append(":{\"dtype\":\"").append(t.dtype.safetensorsName())
                    .append("\",\"shape\":[");
            for (int i = 0; i < t.shape.length; i++) {
                json.append(i == 0 ? "" : ",").append(t.shape[i]);
            }
            long end = offset + t.byteLength();
            json.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (text.length + 7) / 8 * 8;
        if (padded > SafetensorsHeader.MAX_HEADER_BYTES) {
            throw new RecurException("SafetensorsWriter: header: expected at most "
                    + SafetensorsHeader.MAX_HEADER_BYTES + " bytes, got " + padded + " (too many or too long names)");
        }
        byte[] out = new byte[padded];
        System.arraycopy(text, 0, out, 0, text.length);
        for (int i = text.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    /**
     * Writes the file: to a temporary file beside {@code path}, fsynced, then atomically moved over it. On
     * failure the target is left as it was and the temporary file is removed.
     */
    public void write(Path path) throws IOException {
        byte[] header = headerBytes();
        AtomicFiles.write(path, ch -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            AtomicFiles.writeFully(ch, length);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : tensors.values()) {
                writeData(ch, chunk, e);
            }
        });
    }

    private static void writeData(FileChannel ch, ByteBuffer chunk, Entry e) throws IOException {
        int n = e.floats != null ? e.floats.length : e.ints.length;
        for (int i = 0; i < n; i++) {
            if (chunk.remaining() < 8) {
                AtomicFiles.writeFully(ch, chunk.flip());
                chunk.clear();
            }
            switch (e.dtype) {
                case F32 -> chunk.putFloat(e.floats[i]);
                case F16 -> chunk.putShort(HalfFloats.floatToF16(e.floats[i]));
                case BF16 -> chunk.putShort(HalfFloats.floatToBf16(e.floats[i]));
                case F64 -> chunk.putDouble(e.floats[i]);
                case I64 -> chunk.putLong(e.ints[i]);
                case I32 -> chunk.putInt(e.ints[i]);
                case I16 -> chunk.putShort((short) e.ints[i]);
                case I8, U8, BOOL -> chunk.put((byte) e.ints[i]);
            }
        }
        AtomicFiles.writeFully(ch, chunk.flip());
        chunk.clear();
    }
}
