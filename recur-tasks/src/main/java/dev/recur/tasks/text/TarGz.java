package dev.recur.tasks.text;

import dev.recur.core.RecurException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads regular files out of a gzip-compressed tar archive (ustar, with the pax {@code path} and GNU long-name
 * extensions that npm and GNU tar write). Every header's checksum is verified; a malformed or truncated archive
 * fails with a one-line {@link RecurException} naming the archive.
 */
final class TarGz {
    private static final int BLOCK = 512;

    private TarGz() {}

    /**
     * The contents of the regular files whose names {@code wanted} accepts, keyed by name in archive order.
     *
     * @param source the archive's name for error messages
     * @param maxFileBytes the largest file accepted, so that a hostile archive cannot exhaust memory
     */
    static Map<String, byte[]> readFiles(String source, InputStream compressed, Predicate<String> wanted,
                                         long maxFileBytes) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        InputStream in;
        try {
            in = new GZIPInputStream(compressed, 1 << 16);
        } catch (ZipException e) {
            throw new RecurException(source + ": expected a gzip-compressed tar archive, got " + e.getMessage());
        }
        try (in) {
            String longName = null;
            byte[] header = new byte[BLOCK];
            while (true) {
                if (!readBlock(in, header)) {
                    return files;
                }
                if (isZero(header)) {
                    return files;
                }
                checkChecksum(source, header);
                String name = longName != null ? longName : headerName(header);
                longName = null;
                long size = octal(source, header, 124, 12, "size");
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                switch (type) {
                    case 'x', 'L' -> {
                        byte[] meta = readData(source, in, size, Math.min(maxFileBytes, 1 << 20), name);
                        skipFully(source, in, padded - size);
                        longName = type == 'L' ? cString(meta, 0, meta.length) : paxPath(source, meta);
                    }
                    case '0', '\0', '7' -> {
                        if (wanted.test(name)) {
                            files.put(name, readData(source, in, size, maxFileBytes, name));
                            skipFully(source, in, padded - size);
                        } else {
                            skipFully(source, in, padded);
                        }
                    }
                    default -> skipFully(source, in, padded);
                }
            }
        } catch (EOFException e) {
            throw new RecurException(source + ": expected a complete tar archive, got a truncated one");
        } catch (ZipException e) {
            throw new RecurException(source + ": corrupt gzip data: " + e.getMessage());
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException();
        }
        return true;
    }

    private static byte[] readData(String source, InputStream in, long size, long max, String name)
            throws IOException {
        if (size > max) {
            throw new RecurException(source + ": entry '" + name + "' expected at most " + max + " bytes, got "
                    + size);
        }
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException();
        }
        return data;
    }

    private static void skipFully(String source, InputStream in, long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The header checksum: the unsigned sum of all header bytes with the checksum field read as spaces. */
    private static void checkChecksum(String source, byte[] header) {
        long expected = octal(source, header, 148, 8, "checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != expected) {
            throw new RecurException(source + ": tar header checksum expected " + expected + ", got " + sum
                    + " (corrupt archive)");
        }
    }

    private static String headerName(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** An octal field (NUL/space terminated), or a base-256 number when the high bit of the first byte is set. */
    private static long octal(String source, byte[] b, int off, int len, String field) {
        if ((b[off] & 0x80) != 0) {
            long v = b[off] & 0x7f;
            for (int i = off + 1; i < off + len; i++) {
                if (v > (Long.MAX_VALUE >>> 8)) {
                    throw new RecurException(source + ": tar header " + field + " expected a size, got an overflow");
                }
                v = (v << 8) | (b[i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        while (i < off + len && b[i] == ' ') {
            i++;
        }
        boolean any = false;
        for (; i < off + len && b[i] != 0 && b[i] != ' '; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 7 || v > (Long.MAX_VALUE >>> 3)) {
                throw new RecurException(source + ": tar header " + field + " expected octal digits, got '"
                        + cString(b, off, len).trim() + "'");
            }
            v = v * 8 + d;
            any = true;
        }
        if (!any) {
            throw new RecurException(source + ": tar header " + field + " expected octal digits, got none");
        }
        return v;
    }

    /** The {@code path} value of pax records ({@code "<len> key=value\n"}), or null when there is none. */
    private static String paxPath(String source, byte[] meta) {
        String path = null;
        int pos = 0;
        while (pos < meta.length) {
            int space = indexOf(meta, (byte) ' ', pos);
            if (space < 0) {
                throw new RecurException(source + ": pax header expected '<length> key=value', got a malformed record");
            }
            int len;
            try {
                len = Integer.parseInt(new String(meta, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new RecurException(source + ": pax header expected a record length, got a malformed one");
            }
            if (len <= space - pos + 1 || pos + len > meta.length || meta[pos + len - 1] != '\n') {
                throw new RecurException(source + ": pax header record length " + len + " is out of bounds");
            }
            String record = new String(meta, space + 1, pos + len - space - 2, StandardCharsets.UTF_8);
            if (record.startsWith("path=")) {
                path = record.substring(5);
            }
            pos += len;
        }
        return path;
    }

    private static int indexOf(byte[] b, byte value, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
