package dev.recur.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recur.core.RecurException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the reader: any bytes either open as a safetensors file whose every tensor reads back, or fail with
 * {@link RecurException} or {@link IOException}; anything else (an unchecked exception of another kind, an
 * out-of-memory error, a stack overflow) is a bug. The seed corpus in {@code SafetensorsFuzzTestInputs} replays
 * in every test run; {@code JAZZER_FUZZ=1} fuzzes.
 */
class SafetensorsFuzzTest {
    private static Path scratch;

    @FuzzTest(maxDuration = "60s")
    void openAndReadEverything(byte[] bytes) throws IOException {
        Path file = scratchFile();
        Files.write(file, bytes);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                TensorInfo info = f.info(name);
                if (info.dtype().isFloating()) {
                    f.readFloat(name);
                } else {
                    f.readInt(name);
                }
                f.raw(name);
            }
            f.metadata();
        } catch (RecurException | IOException | UncheckedIOException expected) {
            // The contract: a clean, named error.
        }
    }

    private static synchronized Path scratchFile() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempFile("recur-fuzz-", ".safetensors");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }
}
