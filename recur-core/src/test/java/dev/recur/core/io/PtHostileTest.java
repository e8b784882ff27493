package dev.recur.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile torch.save file fails to open with a one-line {@link RecurException} naming the file and the
 * problem; values that do not fit, and a file that shrinks, fail on read.
 */
class PtHostileTest {
    @TempDir
    Path dir;

    static List<HostilePt.Case> cases() {
        return HostilePt.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithAPreciseOneLineMessage(HostilePt.Case c) throws IOException {
        Path file = dir.resolve(c.name() + ".pt");
        Files.write(file, c.bytes());
        assertThatThrownBy(() -> TensorFiles.open(file).close())
                .isExactlyInstanceOf(RecurException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(c.expectedMessage())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
    }

    @Test
    void aFullStackStopsAtTheCap() throws IOException {
        PickleBytes p = new PickleBytes().proto(2);
        for (int i = 0; i <= 1_000_000; i++) {
            p.none();
        }
        Path file = dir.resolve("stack.pt");
        Files.write(file, HostilePt.archive(p.stop().bytes()));
        assertThatThrownBy(() -> PtFile.open(file)).isExactlyInstanceOf(RecurException.class)
                .hasMessageContaining("byte 1000002: expected at most 1000000 values on the pickle stack");
    }

    @Test
    void valuesThatDoNotFitAreRefusedOnReadNamingTheElement() throws IOException {
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(1L << 40);
        byte[] pickle = new PickleBytes().proto(2).emptyDict()
                .str("big").tensor("LongStorage", "0", 2, 0, new long[] {2}, new long[] {1}).setItem()
                .str("flag").tensor("BoolStorage", "1", 3, 0, new long[] {3}, new long[] {1}).setItem()
                .stop().bytes();
        Path file = dir.resolve("values.pt");
        Files.write(file, HostilePt.archive(pickle, longs.array(), new byte[] {0, 1, 2}));
        try (PtFile f = PtFile.open(file)) {
            assertThatThrownBy(() -> f.readInt("big")).isInstanceOf(RecurException.class)
                    .hasMessage(file + ": tensor \"big\" (I64): element 1: expected an I64 value in the int32 range, "
                            + "got 1099511627776");
            assertThatThrownBy(() -> f.readInt("flag")).isInstanceOf(RecurException.class)
                    .hasMessage(file + ": tensor \"flag\" (BOOL): element 2: expected a BOOL byte 0 or 1, got 2");
        }
    }

    @Test
    void aFileThatShrinksAfterOpeningFailsOnRead() throws IOException {
        Path file = PtResources.copy("lstm.pt", dir);
        try (PtFile f = PtFile.open(file)) {
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(100);
            }
            assertThatThrownBy(() -> f.readFloat("weight_hh_l1_reverse")).isInstanceOf(RecurException.class)
                    .hasMessageContaining("the file changed after it was opened");
        }
    }
}
