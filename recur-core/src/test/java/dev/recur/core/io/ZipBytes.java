package dev.recur.core.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Builds zip archives byte by byte for tests (APPNOTE.TXT 4.3): stored entries as {@code torch.save} writes them,
 * optionally with ZIP64 records, and hostile variants (a deflate method with a huge declared size, a lying
 * offset). Shared with other modules' tests through the test jar.
 */
public final class ZipBytes {
    /** One entry; {@code method}, {@code declaredSize} and {@code localOffset} override the honest values when >= 0. */
    private record Entry(String name, byte[] data, int method, long declaredSize, long localOffset) {}

    private final List<Entry> entries = new ArrayList<>();
    private boolean zip64;

    /** Adds a stored entry. */
    public ZipBytes add(String name, byte[] data) {
        entries.add(new Entry(name, data, 0, -1, -1));
        return this;
    }

    /** Adds an entry whose central record claims {@code method} and {@code declaredSize} (a zip bomb's shape). */
    public ZipBytes addClaiming(String name, byte[] data, int method, long declaredSize) {
        entries.add(new Entry(name, data, method, declaredSize, -1));
        return this;
    }

    /** Adds a stored entry whose central record points its local header at {@code localOffset}. */
    public ZipBytes addAt(String name, byte[] data, long localOffset) {
        entries.add(new Entry(name, data, 0, -1, localOffset));
        return this;
    }

    /** Writes every size and offset through the ZIP64 extra field and end records. */
    public ZipBytes zip64() {
        zip64 = true;
        return this;
    }

    public byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Long> offsets = new ArrayList<>();
        for (Entry e : entries) {
            offsets.add((long) out.size());
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer h = le(30 + name.length);
            h.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) Math.max(e.method, 0)).putShort((short) 0).putShort((short) 0)
                    .putInt(crc(e.data)).putInt(e.data.length).putInt(e.data.length)
                    .putShort((short) name.length).putShort((short) 0).put(name);
            out.writeBytes(h.array());
            out.writeBytes(e.data);
        }
        long directoryOffset = out.size();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            byte[] name = e.name.getBytes(StandardCharsets.UTF_8);
            long size = e.declaredSize >= 0 ? e.declaredSize : e.data.length;
            long compressed = e.data.length;
            long offset = e.localOffset >= 0 ? e.localOffset : offsets.get(i);
            boolean wide = zip64 || size > 0xfffffffeL || offset > 0xfffffffeL;
            ByteBuffer extra = le(wide ? 28 : 0);
            if (wide) {
                extra.putShort((short) 1).putShort((short) 24).putLong(size).putLong(compressed).putLong(offset);
            }
            ByteBuffer c = le(46 + name.length + extra.capacity());
            c.putInt(0x02014b50).putShort((short) 45).putShort((short) 20).putShort((short) 0x800)
                    .putShort((short) e.method).putShort((short) 0).putShort((short) 0).putInt(crc(e.data))
                    .putInt(wide ? -1 : (int) compressed).putInt(wide ? -1 : (int) size)
                    .putShort((short) name.length).putShort((short) extra.capacity()).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putInt(0).putInt(wide ? -1 : (int) offset)
                    .put(name).put(extra.array());
            out.writeBytes(c.array());
        }
        long directorySize = out.size() - directoryOffset;
        if (zip64) {
            long zip64End = out.size();
            ByteBuffer z = le(56);
            z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                    .putLong(entries.size()).putLong(entries.size()).putLong(directorySize).putLong(directoryOffset);
            out.writeBytes(z.array());
            ByteBuffer l = le(20);
            l.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
            out.writeBytes(l.array());
        }
        ByteBuffer end = le(22);
        end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) (zip64 ? 0xffff : entries.size())).putShort((short) (zip64 ? 0xffff : entries.size()))
                .putInt(zip64 ? -1 : (int) directorySize).putInt(zip64 ? -1 : (int) directoryOffset)
                .putShort((short) 0);
        out.writeBytes(end.array());
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return (int) c.getValue();
    }
}
