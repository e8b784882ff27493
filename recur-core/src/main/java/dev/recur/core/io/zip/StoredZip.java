package dev.recur.core.io.zip;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory of a zip archive whose entries are all stored (uncompressed), as {@code torch.save} writes them:
 * each entry's name and the byte range of its data in the file, read from the central directory (APPNOTE.TXT
 * 6.3.10, sections 4.3.12 to 4.3.16, with the ZIP64 records of 4.3.14, 4.3.15 and 4.5.3).
 *
 * <p>Nothing is inflated: a compressed or encrypted entry is refused, so no declared size is ever trusted to
 * allocate memory (a zip bomb is an error, not an allocation). Every count, size and offset is checked against the
 * file size before it is used, entries may neither overlap nor run into the central directory, names must be
 * distinct UTF-8, and each entry's local header must agree with its central record.
 */
public final class StoredZip {
    /** One stored entry: its name and where its bytes lie in the file. */
    public record Entry(String name, long dataOffset, long size) {}

    /** Most entries accepted; a state dict with this many tensors is far beyond any real checkpoint. */
    static final long MAX_ENTRIES = 1_000_000;
    /** Largest central directory accepted, in bytes (46 bytes per entry plus its name, for the most entries). */
    static final long MAX_DIRECTORY_BYTES = 256L << 20;

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_BYTES = 22;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_LOCATOR_BYTES = 20;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int ZIP64_END_BYTES = 56;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_BYTES = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_BYTES = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final long U32_MAX = 0xffffffffL;

    private final Map<String, Entry> entries;

    private StoredZip(Map<String, Entry> entries) {
        this.entries = entries;
    }

    /**
     * Reads and checks the directory of the zip archive in {@code channel} ({@code fileSize} bytes).
     *
     * @param source names the file in error messages, which start with {@code source + ": "}
     */
    public static StoredZip read(String source, FileChannel channel, long fileSize) throws IOException {
        return new Reader(source, channel, fileSize).read();
    }

    /** Entry names, in central-directory order. */
    public List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    /** The entry {@code name}, or null. */
    public Entry get(String name) {
        return entries.get(name);
    }

    public int size() {
        return entries.size();
    }

    /** Reads {@code length} bytes at {@code position}, which the caller has checked lie inside the file. */
    public static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            int n = channel.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        return buf.flip();
    }

    private static final class Reader {
        private final String source;
        private final FileChannel channel;
        private final long fileSize;

        Reader(String source, FileChannel channel, long fileSize) {
            this.source = source;
            this.channel = channel;
            this.fileSize = fileSize;
        }

        StoredZip read() throws IOException {
            long end = findEnd();
            ByteBuffer e = readFully(channel, end, END_BYTES);
            int disk = e.getShort(4) & 0xffff;
            int directoryDisk = e.getShort(6) & 0xffff;
            long count = e.getShort(10) & 0xffff;
            long directorySize = e.getInt(12) & U32_MAX;
            long directoryOffset = e.getInt(16) & U32_MAX;
            long directoryLimit = end;
            if (count == 0xffff || directorySize == U32_MAX || directoryOffset == U32_MAX) {
                long zip64End = zip64EndOffset(end);
                ByteBuffer z = readFully(channel, zip64End, ZIP64_END_BYTES);
                if (z.getInt(0) != ZIP64_END_SIGNATURE) {
                    throw fail("ZIP64 end record at byte " + zip64End + ": expected signature 0x06064B50, got 0x"
                            + hex(z.getInt(0)));
                }
                disk = z.getInt(16);
                directoryDisk = z.getInt(20);
                count = z.getLong(32);
                directorySize = z.getLong(40);
                directoryOffset = z.getLong(48);
                directoryLimit = zip64End;
            }
            if (disk != 0 || directoryDisk != 0) {
                throw fail("expected a single-file archive, got a multi-disk archive (disk " + disk + ")");
            }
            if (count < 0 || count > MAX_ENTRIES) {
                throw fail("expected at most " + MAX_ENTRIES + " entries, got " + Long.toUnsignedString(count));
            }
            if (directorySize < 0 || directoryOffset < 0 || directoryOffset > directoryLimit
                    || directorySize > directoryLimit - directoryOffset) {
                throw fail("central directory of " + Long.toUnsignedString(directorySize) + " bytes at byte "
                        + Long.toUnsignedString(directoryOffset) + " runs past its end record at byte "
                        + directoryLimit);
            }
            if (directorySize > MAX_DIRECTORY_BYTES) {
                throw fail("central directory: expected at most " + MAX_DIRECTORY_BYTES + " bytes, got "
                        + directorySize);
            }
            if (count * CENTRAL_BYTES > directorySize) {
                throw fail("central directory of " + directorySize + " bytes cannot hold the " + count
                        + " entries its end record declares (" + CENTRAL_BYTES + " bytes each at least)");
            }
            ByteBuffer directory = readFully(channel, directoryOffset, (int) directorySize);
            Map<String, Entry> byName = new LinkedHashMap<>();
            List<long[]> spans = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                Entry entry = centralEntry(directory, i, directoryOffset, spans);
                if (byName.putIfAbsent(entry.name(), entry) != null) {
                    throw fail("entry " + quote(entry.name()) + " appears twice");
                }
            }
            checkNoOverlap(spans);
            return new StoredZip(Collections.unmodifiableMap(byName));
        }

        /** Finds the end-of-central-directory record: the last one whose comment ends exactly at the file end. */
        private long findEnd() throws IOException {
            if (fileSize < END_BYTES) {
                throw fail("expected a zip archive of at least " + END_BYTES + " bytes, got " + fileSize + " bytes");
            }
            int tail = (int) Math.min(fileSize, END_BYTES + 0xffff);
            ByteBuffer b = readFully(channel, fileSize - tail, tail);
            for (int at = tail - END_BYTES; at >= 0; at--) {
                if (b.getInt(at) == END_SIGNATURE && at + END_BYTES + (b.getShort(at + 20) & 0xffff) == tail) {
                    return fileSize - tail + at;
                }
            }
            throw fail("no zip end-of-central-directory record: the file is truncated or not a zip archive");
        }

        private long zip64EndOffset(long end) throws IOException {
            if (end < ZIP64_LOCATOR_BYTES) {
                throw fail("end record declares ZIP64 sizes but has no ZIP64 locator before it");
            }
            ByteBuffer l = readFully(channel, end - ZIP64_LOCATOR_BYTES, ZIP64_LOCATOR_BYTES);
            if (l.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
                throw fail("end record declares ZIP64 sizes: expected a ZIP64 locator (0x07064B50) at byte "
                        + (end - ZIP64_LOCATOR_BYTES) + ", got 0x" + hex(l.getInt(0)));
            }
            long offset = l.getLong(8);
            long limit = end - ZIP64_LOCATOR_BYTES - ZIP64_END_BYTES;
            if (offset < 0 || offset > limit) {
                throw fail("ZIP64 locator: expected the end record at a byte in [0, " + limit + "], got "
                        + Long.toUnsignedString(offset));
            }
            return offset;
        }

        private Entry centralEntry(ByteBuffer d, long index, long directoryOffset, List<long[]> spans)
                throws IOException {
            int at = d.position();
            String where = "central directory entry " + index;
            if (d.remaining() < CENTRAL_BYTES) {
                throw fail(where + ": expected " + CENTRAL_BYTES + " bytes, got " + d.remaining()
                        + " left in the directory");
            }
            if (d.getInt(at) != CENTRAL_SIGNATURE) {
                throw fail(where + ": expected signature 0x02014B50, got 0x" + hex(d.getInt(at)));
            }
            int flags = d.getShort(at + 8) & 0xffff;
            int method = d.getShort(at + 10) & 0xffff;
            long compressed = d.getInt(at + 20) & U32_MAX;
            long size = d.getInt(at + 24) & U32_MAX;
            int nameLength = d.getShort(at + 28) & 0xffff;
            int extraLength = d.getShort(at + 30) & 0xffff;
            int commentLength = d.getShort(at + 32) & 0xffff;
            int startDisk = d.getShort(at + 34) & 0xffff;
            long localOffset = d.getInt(at + 42) & U32_MAX;
            int variable = nameLength + extraLength + commentLength;
            if (d.remaining() - CENTRAL_BYTES < variable) {
                throw fail(where + ": name, extra field and comment of " + variable + " bytes run past the "
                        + "directory");
            }
            String name = name(d, at + CENTRAL_BYTES, nameLength, where);
            where = "entry " + quote(name);
            if ((flags & 1) != 0) {
                throw fail(where + " is encrypted: expected a plain stored entry");
            }
            if (method != 0) {
                throw fail(where + " is compressed (method " + method + (method == 8 ? ", deflate" : "")
                        + "): expected stored entries (method 0), as torch.save writes them");
            }
            ByteBuffer extra = d.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            extra.position(at + CENTRAL_BYTES + nameLength).limit(at + CENTRAL_BYTES + nameLength + extraLength);
            long[] wide = zip64Fields(extra.slice().order(ByteOrder.LITTLE_ENDIAN), size, compressed, localOffset,
                    startDisk, where);
            size = wide[0];
            compressed = wide[1];
            localOffset = wide[2];
            if (wide[3] != 0) {
                throw fail(where + ": expected it on disk 0, got disk " + wide[3]);
            }
            if (compressed != size) {
                throw fail(where + ": a stored entry's compressed and uncompressed sizes must agree, got "
                        + Long.toUnsignedString(compressed) + " and " + Long.toUnsignedString(size));
            }
            d.position(at + CENTRAL_BYTES + variable);
            long dataOffset = localData(name, localOffset, directoryOffset, where);
            if (size < 0 || size > directoryOffset - dataOffset) {
                throw fail(where + ": " + Long.toUnsignedString(size) + " bytes at byte " + dataOffset
                        + " run past the start of the central directory at byte " + directoryOffset);
            }
            spans.add(new long[] {localOffset, dataOffset + size, index});
            return new Entry(name, dataOffset, size);
        }

        /** Replaces the 32-bit fields set to 0xFFFFFFFF (0xFFFF for the disk) by the ZIP64 extra field's values. */
        private long[] zip64Fields(ByteBuffer extra, long size, long compressed, long offset, int disk, String where) {
            long[] out = {size, compressed, offset, disk};
            boolean[] wide = {size == U32_MAX, compressed == U32_MAX, offset == U32_MAX, disk == 0xffff};
            while (extra.remaining() >= 4) {
                int id = extra.getShort() & 0xffff;
                int length = extra.getShort() & 0xffff;
                if (length > extra.remaining()) {
                    throw fail(where + ": extra field 0x" + String.format("%04X", id) + " of " + length
                            + " bytes runs past the entry's extra data");
                }
                if (id != ZIP64_EXTRA_ID) {
                    extra.position(extra.position() + length);
                    continue;
                }
                ByteBuffer z = extra.slice().order(ByteOrder.LITTLE_ENDIAN).limit(length);
                for (int i = 0; i < 4; i++) {
                    if (wide[i]) {
                        int bytes = i == 3 ? 4 : 8;
                        if (z.remaining() < bytes) {
                            throw fail(where + ": ZIP64 extra field of " + length + " bytes lacks a value it must "
                                    + "hold");
                        }
                        out[i] = i == 3 ? z.getInt() & U32_MAX : z.getLong();
                        wide[i] = false;
                    }
                }
                extra.position(extra.position() + length);
            }
            if (wide[0] || wide[1] || wide[2]) {
                throw fail(where + ": a size or offset is 0xFFFFFFFF: expected its value in a ZIP64 extra field, "
                        + "got none");
            }
            return out;
        }

        /** Checks the local header at {@code offset} and returns where the entry's data starts. */
        private long localData(String name, long offset, long directoryOffset, String where) throws IOException {
            if (offset < 0 || offset > directoryOffset - LOCAL_BYTES) {
                throw fail(where + ": local header at byte " + Long.toUnsignedString(offset)
                        + " is not before the central directory at byte " + directoryOffset);
            }
            ByteBuffer h = readFully(channel, offset, LOCAL_BYTES);
            if (h.getInt(0) != LOCAL_SIGNATURE) {
                throw fail(where + ": local header at byte " + offset + ": expected signature 0x04034B50, got 0x"
                        + hex(h.getInt(0)));
            }
            if ((h.getShort(8) & 0xffff) != 0) {
                throw fail(where + ": local header says method " + (h.getShort(8) & 0xffff)
                        + ": expected stored (method 0) like its central record");
            }
            int nameLength = h.getShort(26) & 0xffff;
            int extraLength = h.getShort(28) & 0xffff;
            long dataOffset = offset + LOCAL_BYTES + nameLength + extraLength;
            if (dataOffset > directoryOffset) {
                throw fail(where + ": local header at byte " + offset + " runs into the central directory");
            }
            ByteBuffer localName = readFully(channel, offset + LOCAL_BYTES, nameLength);
            String local = name(localName, 0, nameLength, where + ": local header");
            if (!local.equals(name)) {
                throw fail(where + ": local header names " + quote(local) + ": expected the central record's name");
            }
            return dataOffset;
        }

        private void checkNoOverlap(List<long[]> spans) {
            spans.sort(Comparator.comparingLong(s -> s[0]));
            for (int i = 1; i < spans.size(); i++) {
                long[] previous = spans.get(i - 1);
                long[] next = spans.get(i);
                if (next[0] < previous[1]) {
                    throw fail("entries " + previous[2] + " and " + next[2] + " overlap: entry " + next[2]
                            + " starts at byte " + next[0] + ", before entry " + previous[2] + " ends at byte "
                            + previous[1]);
                }
            }
        }

        private String name(ByteBuffer b, int at, int length, String where) {
            ByteBuffer bytes = b.duplicate();
            bytes.position(at).limit(at + length);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw fail(where + ": expected a UTF-8 name, got invalid bytes");
            }
        }

        private RecurException fail(String message) {
            return new RecurException(source + ": zip: " + message);
        }
    }

    /** A name in double quotes, control characters escaped, cut at 120 characters. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.append(s.length() > n ? "...\"" : "\"").toString();
    }

    private static String hex(int v) {
        return String.format("%08X", v);
    }
}
