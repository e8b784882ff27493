package dev.recur.core.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.recur.core.RecurException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the torch.save reader: any bytes either open as a state dict whose every tensor reads back, or fail with
 * {@link RecurException} or {@link IOException}; anything else (an unchecked exception of another kind, an
 * out-of-memory error, a stack overflow) is a bug. The seed corpus in {@code PtFuzzTestInputs} (files PyTorch
 * wrote and hostile ones) replays in every test run; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PtFuzzTest {
    private static Path scratch;

    @FuzzTest(maxDuration = "60s")
    void openAndReadEverything(byte[] bytes) throws IOException {
        Path file = scratchFile();
        Files.write(file, bytes);
        try (PtFile f = PtFile.open(file)) {
            for (String name : f.names()) {
                if (f.info(name).dtype().isFloating()) {
                    f.readFloat(name);
                } else {
                    f.readInt(name);
                }
            }
        } catch (RecurException | IOException | UncheckedIOException expected) {
            // The contract: a clean, named error.
        }
    }

    private static synchronized Path scratchFile() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempFile("recur-fuzz-", ".pt");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }
}
