package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TarGzTest {
    private static Map<String, byte[]> read(byte[] tgz) throws IOException {
        return TarGz.readFiles("test.tgz", new ByteArrayInputStream(tgz), name -> true, 1 << 20);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void readsFilesOfAwkwardSizesInArchiveOrder() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/empty.txt", new byte[0]);
        files.put("package/one.bin", bytes(1, 3));
        files.put("package/block.bin", bytes(512, 5));
        files.put("package/data/long.bin", bytes(1537, 7));
        Map<String, byte[]> got = read(TestTarballs.tgz(files));
        assertThat(got.keySet()).containsExactlyElementsOf(files.keySet());
        files.forEach((name, data) -> assertThat(got.get(name)).as(name).isEqualTo(data));
    }

    @Test
    void keepsOnlyWantedEntries() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("package/a.txt", bytes(600, 1));
        files.put("package/b.json", bytes(10, 2));
        files.put("package/c.txt", bytes(20, 3));
        Map<String, byte[]> got = TarGz.readFiles("t", new ByteArrayInputStream(TestTarballs.tgz(files)),
                name -> name.endsWith(".txt"), 1 << 20);
        assertThat(got.keySet()).containsExactly("package/a.txt", "package/c.txt");
        assertThat(got.get("package/c.txt")).isEqualTo(files.get("package/c.txt"));
    }

    @Test
    void paxPathAndGnuLongNameReplaceTheHeaderName() throws IOException {
        String longName = "package/" + "d".repeat(150) + "/file.txt";
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TestTarballs.entry(tar, "PaxHeader/x", 'x', TestTarballs.paxRecord("path", longName));
        TestTarballs.entry(tar, "truncated-name", '0', "pax".getBytes(StandardCharsets.UTF_8));
        TestTarballs.entry(tar, "././@LongLink", 'L', (longName + "2\0").getBytes(StandardCharsets.UTF_8));
        TestTarballs.entry(tar, "other-truncated", '0', "gnu".getBytes(StandardCharsets.UTF_8));
        TestTarballs.entry(tar, "package/dir/", '5', new byte[0]);
        Map<String, byte[]> got = read(TestTarballs.finish(tar));
        assertThat(got.keySet()).containsExactly(longName, longName + "2");
        assertThat(new String(got.get(longName), StandardCharsets.UTF_8)).isEqualTo("pax");
        assertThat(new String(got.get(longName + "2"), StandardCharsets.UTF_8)).isEqualTo("gnu");
    }

    @Test
    void aCorruptHeaderFailsItsChecksum() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TestTarballs.entry(tar, "package/a.txt", '0', bytes(10, 1));
        byte[] raw = tar.toByteArray();
        raw[3] ^= 0x01;
        ByteArrayOutputStream corrupt = new ByteArrayOutputStream();
        corrupt.writeBytes(raw);
        assertThatThrownBy(() -> read(TestTarballs.finish(corrupt)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("test.tgz")
                .hasMessageContaining("checksum");
    }

    @Test
    void aTruncatedArchiveIsReported() {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TestTarballs.entry(tar, "package/a.txt", '0', bytes(2000, 1));
        byte[] raw = Arrays.copyOf(tar.toByteArray(), 512 + 700);
        assertThatThrownBy(() -> read(TestTarballs.gzip(raw)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void anOversizedEntryIsRefused() {
        byte[] tgz = TestTarballs.tgz(Map.of("package/big.bin", bytes(5000, 1)));
        assertThatThrownBy(() -> TarGz.readFiles("t", new ByteArrayInputStream(tgz), n -> true, 4096))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("at most 4096 bytes, got 5000");
    }

    @Test
    void notGzipIsReported() {
        byte[] plain = "just text".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(plain))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("gzip");
    }
}
