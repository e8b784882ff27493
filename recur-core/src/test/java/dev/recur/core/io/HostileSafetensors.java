package dev.recur.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built malformed safetensors files, each with a fragment that the reader's error message must contain.
 * Shared with the command-line tests through the test jar.
 */
public final class HostileSafetensors {
    private HostileSafetensors() {}

    /** A malformed file: a short name, its bytes, and a fragment of the expected error message. */
    public record Case(String name, byte[] bytes, String expectedMessage) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every hostile case. */
    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("truncated-file", new byte[] {8, 0, 0, 0, 0}, "expected at least 8 bytes"));
        c.add(new Case("empty-file", new byte[0], "got a file of 0 bytes"));
        c.add(new Case("truncated-header", withLength(100, "{\"a\":{\"dtype\":\"F32\"".getBytes(StandardCharsets.UTF_8)),
                "header length 100 runs past the end of the file: expected at most 19"));
        c.add(new Case("huge-header-length", hugeHeader(), "header length: expected at most 100000000 bytes, got "
                + (1L << 40)));
        c.add(new Case("header-length-top-bit", withLength(0x8000000000000010L, new byte[8]),
                "got 9223372036854775824"));
        c.add(new Case("header-length-under-cap-past-end", withLength(99_999_999, new byte[8]),
                "header length 99999999 runs past the end of the file"));
        c.add(new Case("overlapping-offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "tensor \"b\" overlaps: expected data_offsets to begin at 8 (the end of tensor \"a\"), got 4"));
        c.add(new Case("gap", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20),
                "tensor \"b\" leaves a gap: expected data_offsets to begin at 8"));
        c.add(new Case("gap-at-start", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "expected data_offsets to begin at 0 (the start of the data), got 4"));
        c.add(new Case("wrong-span", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "span 8 bytes: expected 12 (3 elements x 4 bytes of F32), got 8"));
        c.add(new Case("shape-product-overflow", file("{\"a\":{\"dtype\":\"F32\","
                + "\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4), "got an overflow"));
        c.add(new Case("byte-size-overflow", file("{\"a\":{\"dtype\":\"F64\","
                + "\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}", 8), "got an overflow"));
        c.add(new Case("number-past-long", file("{\"a\":{\"dtype\":\"F32\","
                + "\"shape\":[18446744073709551617],\"data_offsets\":[0,4]}}", 4),
                "shape[0]: expected a non-negative integer below 2^63, got 18446744073709551617"));
        c.add(new Case("bad-json", file("{\"a\":{\"dtype\":\"F32\",}}", 0), "header JSON: expected a string key"));
        c.add(new Case("trailing-comma", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}",
                4), "header JSON: expected a string key, got '}'"));
        c.add(new Case("non-utf8", file("{\"a?\":{}}", 0, 3, (byte) 0xff),
                "expected UTF-8 text, got an invalid byte 0xFF at header offset 3"));
        c.add(new Case("last-offset-before-data-end", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}}", 12), "data section is 12 bytes: expected the last data_offsets end to "
                + "equal it, got 8"));
        c.add(new Case("last-offset-past-data-end", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}}", 4), "data section is 4 bytes"));
        c.add(new Case("unknown-dtype", file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}",
                1), "dtype: expected one of F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, got \"F8_E4M3\""));
        c.add(new Case("negative-dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],"
                + "\"data_offsets\":[0,4]}}", 4), "shape[0]: expected a non-negative integer below 2^63, got -1"));
        c.add(new Case("negative-offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[-4,0]}}", 4), "data_offsets[0]: expected a non-negative integer"));
        c.add(new Case("fractional-dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],"
                + "\"data_offsets\":[0,8]}}", 8), "got 2.0"));
        c.add(new Case("exponent-dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1e0],"
                + "\"data_offsets\":[0,4]}}", 4), "got 1e0"));
        c.add(new Case("string-dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"1\"],"
                + "\"data_offsets\":[0,4]}}", 4), "got the string \"1\""));
        c.add(new Case("duplicate-tensor", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "duplicate key \"a\""));
        c.add(new Case("duplicate-field", file("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],"
                + "\"data_offsets\":[0,4]}}", 4), "duplicate key \"dtype\""));
        c.add(new Case("junk-after-json", file("{} x", 0), "expected the end of the text after the value, got 'x'"));
        c.add(new Case("nul-padding", file("{}\0\0", 0), "expected the end of the text after the value, got U+0000"));
        c.add(new Case("unknown-field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],"
                + "\"extra\":1}}", 4), "expected only the fields dtype, shape, data_offsets, got \"extra\""));
        c.add(new Case("missing-field", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4),
                "expected the field \"shape\""));
        c.add(new Case("three-offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}",
                4), "data_offsets: expected 2 integers, got 3"));
        c.add(new Case("begin-after-end", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}",
                4), "expected begin <= end, got [4, 0]"));
        c.add(new Case("not-an-object", file("[]", 0), "expected a JSON object starting with '{', got '['"));
        c.add(new Case("empty-header", file("", 0), "got an empty header"));
        c.add(new Case("metadata-not-string", file("{\"__metadata__\":{\"step\":3}}", 0),
                "key \"step\": expected a string value, got the number 3"));
        c.add(new Case("entry-not-object", file("{\"a\":[1]}", 0), "expected an object with dtype"));
        c.add(new Case("lone-surrogate", file("{\"\\ud800\":{}}", 0), "expected a low surrogate"));
        c.add(new Case("deep-nesting", file("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 0),
                "nested objects/arrays"));
        c.add(new Case("control-char-in-name", file("{\"a\nb\":{}}", 0), "raw U+000A"));
        return c;
    }

    /** A 16-byte file whose first 8 bytes claim a 2^40-byte header. */
    public static byte[] hugeHeader() {
        return withLength(1L << 40, new byte[8]);
    }

    private static byte[] file(String header, int dataBytes) {
        return file(header, dataBytes, -1, (byte) 0);
    }

    /** A header (optionally with one byte replaced, for invalid UTF-8) followed by zeroed data. */
    private static byte[] file(String header, int dataBytes, int patchAt, byte patch) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        if (patchAt >= 0) {
            h[patchAt] = patch;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(withLength(h.length, h));
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private static byte[] withLength(long length, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(length).put(rest).array();
    }
}
