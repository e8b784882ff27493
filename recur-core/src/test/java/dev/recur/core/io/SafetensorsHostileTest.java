package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed file fails to open with a one-line {@link RecurException} naming the file and the problem. */
class SafetensorsHostileTest {
    @TempDir
    Path dir;

    static List<HostileSafetensors.Case> cases() {
        return HostileSafetensors.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithAPreciseOneLineMessage(HostileSafetensors.Case c) throws IOException {
        Path file = dir.resolve(c.name() + ".safetensors");
        Files.write(file, c.bytes());
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isExactlyInstanceOf(RecurException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(c.expectedMessage())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
    }

    @Test
    void aFolderOrAMissingFileIsAnError() throws IOException {
        assertThatThrownBy(() -> SafetensorsFile.open(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expected a safetensors file, got a folder");
        assertThatThrownBy(() -> SafetensorsFile.open(dir.resolve("absent.safetensors")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void booleansOtherThanZeroOrOneAreRejectedOnRead() throws IOException {
        Path file = dir.resolve("bool.safetensors");
        String header = "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put((byte) 1).put((byte) 2);
        Files.write(file, b.array());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> f.readInt("m")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("element 1: expected a BOOL byte 0 or 1, got 2");
        }
    }

    @Test
    void headerPaddedWithTrailingSpacesIsAccepted() throws IOException {
        Path file = dir.resolve("padded.safetensors");
        String header = "{\"x\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]}}      ";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 1).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put((byte) 200);
        Files.write(file, b.array());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.readInt("x").data()).containsExactly(200);
            assertThat(f.readInt("x").shape()).isEmpty();
        }
    }
}
