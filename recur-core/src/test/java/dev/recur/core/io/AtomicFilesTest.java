package dev.recur.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replacing a file atomically: new content on success, old content and no temporary file on failure. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void createsAFileAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("a.txt");
        AtomicFiles.write(target, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void replacesExistingContentWhole() throws IOException {
        Path target = dir.resolve("a.txt");
        Files.writeString(target, "an older and much longer content");
        AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void writerCallbackContentIsWhatLands() throws IOException {
        Path target = dir.resolve("b.bin");
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        AtomicFiles.write(target, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(big, 0, 1000));
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(big, 1000, big.length - 1000));
        });
        assertArrayEquals(big, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void failureKeepsOldContentAndRemovesTemporaryFile() throws IOException {
        Path target = dir.resolve("c.txt");
        Files.writeString(target, "old");
        IOException boom = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> AtomicFiles.write(target, ch -> {
            AtomicFiles.writeFully(ch, ByteBuffer.wrap("partial".getBytes(StandardCharsets.UTF_8)));
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void failureWithNoTargetLeavesTheFolderEmpty() throws IOException {
        Path target = dir.resolve("d.txt");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, ch -> {
            throw new IllegalStateException("bad state");
        }));
        assertEquals(List.of(), listing());
    }
}
