package dev.recur.tasks.text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Builds .tgz archives in memory, written from the POSIX ustar layout, independently of the reader. */
final class TestTarballs {
    private TestTarballs() {}

    /** A gzip-compressed ustar archive of regular files, in the map's order. */
    static byte[] tgz(Map<String, byte[]> files) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        files.forEach((name, data) -> entry(tar, name, '0', data));
        return finish(tar);
    }

    /** Appends one entry (header and padded data) of the given type. */
    static void entry(ByteArrayOutputStream tar, String name, char type, byte[] data) {
        byte[] h = new byte[512];
        put(h, 0, name.getBytes(StandardCharsets.UTF_8), 100);
        put(h, 100, octal(0644, 8), 8);
        put(h, 108, octal(0, 8), 8);
        put(h, 116, octal(0, 8), 8);
        put(h, 124, octal(data.length, 12), 12);
        put(h, 136, octal(499162500L, 12), 12);
        h[156] = (byte) type;
        put(h, 257, "ustar\0".getBytes(StandardCharsets.US_ASCII), 6);
        put(h, 263, "00".getBytes(StandardCharsets.US_ASCII), 2);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        // Checksum field: six octal digits, NUL, space.
        byte[] digits = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        tar.writeBytes(h);
        tar.writeBytes(data);
        int pad = (512 - data.length % 512) % 512;
        tar.writeBytes(new byte[pad]);
    }

    /** Two zero blocks, then gzip. */
    static byte[] finish(ByteArrayOutputStream tar) {
        tar.writeBytes(new byte[1024]);
        return gzip(tar.toByteArray());
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A pax record {@code "<len> key=value\n"}, where len counts the whole record including itself. */
    static byte[] paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int len = body.length() + 1;
        while (String.valueOf(len).length() + body.length() != len) {
            len++;
        }
        return (len + body).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] octal(long v, int width) {
        return String.format("%0" + (width - 1) + "o", v).getBytes(StandardCharsets.US_ASCII);
    }

    private static void put(byte[] h, int off, byte[] src, int max) {
        System.arraycopy(src, 0, h, off, Math.min(src.length, max));
    }
}
