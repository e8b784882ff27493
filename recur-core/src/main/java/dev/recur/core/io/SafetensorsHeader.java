package dev.recur.core.io;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The parsed and validated header of a safetensors file. Follows the reference implementation's checks: a
 * capped header length that fits the file, a UTF-8 JSON object, known dtypes, non-negative integer shapes and
 * offsets, a span of exactly shape x dtype bytes per tensor (overflow-checked), offsets contiguous from 0 with
 * no gap or overlap, and a last offset equal to the data length. It is stricter on the JSON itself: duplicate
 * keys and unknown fields are errors.
 */
final class SafetensorsHeader {
    /** Largest header accepted, in bytes; the reference implementation uses the same cap. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    final Map<String, TensorInfo> tensors;
    final Map<String, String> metadata;
    final long headerLength;

    private SafetensorsHeader(Map<String, TensorInfo> tensors, Map<String, String> metadata, long headerLength) {
        this.tensors = tensors;
        this.metadata = metadata;
        this.headerLength = headerLength;
    }

    /**
     * Checks the 8-byte little-endian header length against the cap and the file size, before anything of that
     * length is allocated; returns it.
     */
    static long checkHeaderLength(String source, long fileSize, long rawLength) {
        if (Long.compareUnsigned(rawLength, MAX_HEADER_BYTES) > 0) {
            throw new RecurException(source + ": header length: expected at most " + MAX_HEADER_BYTES
                    + " bytes, got " + Long.toUnsignedString(rawLength));
        }
        if (rawLength > fileSize - 8) {
            throw new RecurException(source + ": header length " + rawLength + " runs past the end of the file: "
                    + "expected at most " + (fileSize - 8) + " (file size " + fileSize + " - 8), got " + rawLength);
        }
        return rawLength;
    }

    /** Parses and validates the header bytes of a file of {@code fileSize} bytes. */
    static SafetensorsHeader parse(String source, ByteBuffer headerBytes, long fileSize) {
        long headerLength = headerBytes.remaining();
        String text = decodeUtf8(source, headerBytes);
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new RecurException(source + ": header: expected a JSON object starting with '{', got "
                    + (text.isEmpty() ? "an empty header" : describe(text.charAt(0))));
        }
        Object root;
        try {
            root = JsonParser.parse(text, 4);
        } catch (JsonException e) {
            throw new RecurException(source + ": header JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> rootMap)) {
            throw new RecurException(source + ": header: expected a JSON object, got " + kind(root));
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> infos = new ArrayList<>();
        for (Map.Entry<?, ?> e : rootMap.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(source, e.getValue());
            } else {
                infos.add(entry(source, name, e.getValue()));
            }
        }
        long dataLength = fileSize - 8 - headerLength;
        checkLayout(source, infos, dataLength);
        Map<String, TensorInfo> byName = new TreeMap<>();
        for (TensorInfo info : infos) {
            byName.put(info.name(), info);
        }
        return new SafetensorsHeader(Collections.unmodifiableMap(byName), metadata, headerLength);
    }

    private static String decodeUtf8(String source, ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = bytes.position();
        try {
            CharBuffer chars = decoder.decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return invalidUtf8(source, bytes, start);
        }
    }

    private static String invalidUtf8(String source, ByteBuffer bytes, int start) {
        // Decode again piece by piece only to say where the bad byte is.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = bytes.duplicate();
        in.position(start);
        CharBuffer out = CharBuffer.allocate(in.remaining());
        var result = decoder.decode(in, out, true);
        int at = in.position() - start;
        throw new RecurException(source + ": header: expected UTF-8 text, got an invalid byte 0x"
                + String.format("%02X", in.get(in.position()) & 0xff) + " at header offset " + at
                + (result.isMalformed() ? "" : " (unmappable)"));
    }

    private static Map<String, String> metadata(String source, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new RecurException(source + ": header \"" + METADATA_KEY + "\": expected an object of strings, got "
                    + kind(value));
        }
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new RecurException(source + ": header \"" + METADATA_KEY + "\" key " + quote((String) e.getKey())
                        + ": expected a string value, got " + kind(e.getValue()));
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static TensorInfo entry(String source, String name, Object value) {
        String where = source + ": tensor " + quote(name);
        if (!(value instanceof Map<?, ?> map)) {
            throw new RecurException(where + ": expected an object with dtype, shape, data_offsets, got "
                    + kind(value));
        }
        for (Object key : map.keySet()) {
            if (!ENTRY_FIELDS.contains(key)) {
                throw new RecurException(where + ": expected only the fields dtype, shape, data_offsets, got "
                        + quote((String) key));
            }
        }
        for (String field : ENTRY_FIELDS) {
            if (!map.containsKey(field)) {
                throw new RecurException(where + ": expected the field \"" + field + "\", got none");
            }
        }
        if (!(map.get("dtype") instanceof String dtypeName)) {
            throw new RecurException(where + ": dtype: expected a string, got " + kind(map.get("dtype")));
        }
        DType dtype = DType.fromSafetensorsName(dtypeName);
        if (dtype == null) {
            throw new RecurException(where + ": dtype: expected one of F32, F16, BF16, F64, I64, I32, I16, I8, U8, "
                    + "BOOL, got " + quote(dtypeName));
        }
        long[] shape = longArray(where + ": shape", map.get("shape"), -1);
        long[] offsets = longArray(where + ": data_offsets", map.get("data_offsets"), 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin > end) {
            throw new RecurException(where + ": data_offsets: expected begin <= end, got [" + begin + ", " + end + "]");
        }
        long numel = 1;
        for (long d : shape) {
            numel = multiplyOrFail(where, numel, d, shape);
        }
        long bytes = multiplyOrFail(where, numel, dtype.byteSize(), shape);
        if (end - begin != bytes) {
            throw new RecurException(where + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes: expected " + bytes + " (" + numel + " elements x " + dtype.byteSize() + " bytes of "
                    + dtype + "), got " + (end - begin));
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static long multiplyOrFail(String where, long a, long b, long[] shape) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new RecurException(where + ": shape " + java.util.Arrays.toString(shape)
                    + ": expected a byte size below 2^63, got an overflow");
        }
    }

    private static long[] longArray(String where, Object value, int requiredLength) {
        if (!(value instanceof List<?> list)) {
            throw new RecurException(where + ": expected an array of non-negative integers, got " + kind(value));
        }
        if (requiredLength >= 0 && list.size() != requiredLength) {
            throw new RecurException(where + ": expected " + requiredLength + " integers, got " + list.size());
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            long x = v instanceof JsonNumber n ? n.nonNegativeLongOrMinusOne() : -1;
            if (x < 0) {
                throw new RecurException(where + "[" + i + "]: expected a non-negative integer below 2^63, got "
                        + (v instanceof JsonNumber n ? n.text() : kind(v)));
            }
            out[i] = x;
        }
        return out;
    }

    private static void checkLayout(String source, List<TensorInfo> infos, long dataLength) {
        List<TensorInfo> sorted = new ArrayList<>(infos);
        sorted.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end)
                .thenComparing(TensorInfo::name));
        long expected = 0;
        String previous = null;
        for (TensorInfo t : sorted) {
            if (t.begin() != expected) {
                String after = previous == null ? "the start of the data" : "the end of tensor " + quote(previous);
                String problem = t.begin() > expected ? "leaves a gap" : "overlaps";
                throw new RecurException(source + ": tensor " + quote(t.name()) + " " + problem
                        + ": expected data_offsets to begin at " + expected + " (" + after + "), got " + t.begin());
            }
            expected = t.end();
            previous = t.name();
        }
        if (expected != dataLength) {
            throw new RecurException(source + ": data section is " + dataLength + " bytes: expected the last "
                    + "data_offsets end to equal it, got " + expected);
        }
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.append(s.length() > n ? "...\"" : "\"").toString();
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String s) {
            return "the string " + quote(s);
        }
        if (v instanceof JsonNumber n) {
            return "the number " + n.text();
        }
        return String.valueOf(v);
    }
}
