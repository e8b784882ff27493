package dev.recur.tasks.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReadWithItsSha256() throws Exception {
        Path file = dir.resolve("abc.txt");
        Files.write(file, "abc".getBytes(StandardCharsets.US_ASCII));
        Corpus c = Corpus.fromFile(file);
        assertThat(c.name()).isEqualTo("abc.txt");
        assertThat(c.source()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(c.size()).isEqualTo(3);
        // FIPS 180-2 test vector for "abc".
        assertThat(c.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void invalidUtf8IsRejectedWithTheByteOffset() throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.write(file, new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, 'x'});
        assertThatThrownBy(() -> Corpus.fromFile(file))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("invalid byte sequence at byte 3");
    }

    @Test
    void emptyFilesAndFoldersAreRejected() throws Exception {
        Path empty = dir.resolve("empty.txt");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Corpus.fromFile(empty)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got 0 bytes");
        assertThatThrownBy(() -> Corpus.fromFile(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got a folder");
    }

    @Test
    void theSplitHoldsOutTheEndOfTheText() {
        byte[] text = new byte[1000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        Corpus c = Corpus.of("letters", text);
        CorpusSplit split = c.split();
        // 5% of 1000 bytes = 50 bytes held out, from byte 950.
        assertThat(split.cut()).isEqualTo(950);
        assertThat(split.training()).isEqualTo(Arrays.copyOfRange(text, 0, 950));
        assertThat(split.validation()).isEqualTo(Arrays.copyOfRange(text, 950, 1000));

        CorpusSplit tenth = c.split(0.1234);
        assertThat(tenth.validation()).hasSize(123);
        assertThat(tenth.training()).hasSize(877);
        assertThat(c.split(0).validation()).isEmpty();
    }

    @Test
    void splitMayCutInsideAMultiByteCharacter() {
        // "é" is two bytes; 10% of 10 bytes cuts between them.
        byte[] text = "abcdefghé".getBytes(StandardCharsets.UTF_8);
        CorpusSplit split = Corpus.of("t", text).split(0.1);
        assertThat(split.validation()).containsExactly((byte) 0xA9);
    }

    @Test
    void badFractionsAreRejected() {
        Corpus c = Corpus.of("t", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> c.split(1.0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected a number in [0, 1), got 1.0");
        assertThatThrownBy(() -> c.split(Double.NaN)).isInstanceOf(RecurException.class);
        assertThatThrownBy(() -> c.split(0.01)).isInstanceOf(RecurException.class)
                .hasMessageContaining("holds out no byte");
    }

    @Test
    void bytesAreCopies() {
        byte[] text = "hello".getBytes(StandardCharsets.UTF_8);
        Corpus c = Corpus.of("t", text);
        text[0] = 'j';
        byte[] out = c.bytes();
        out[1] = 'a';
        assertThat(c.bytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }
}
