package dev.recur.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files PyTorch wrote for the torch.save tests ({@code src/test/python/make_pt_cases.py}), copied out of the
 * class path (a folder here, the test jar in other modules) into a folder of the caller's. Shared with other
 * modules' tests through the test jar.
 */
public final class PtResources {
    private static final String ROOT = "/dev/recur/core/io/pt/";
    /** The files of the LSTM reference case whose weights are {@code model.pt}. */
    public static final List<String> LSTM_CASE = List.of("config.json", "model.pt", "io.safetensors",
            "grads.safetensors");

    private PtResources() {}

    /** Copies the resource {@code name} (e.g. {@code "lstm.pt"}) to {@code dir/name} and returns that path. */
    public static Path copy(String name, Path dir) {
        Path target = dir.resolve(name);
        try (InputStream in = PtResources.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + ROOT + name);
            }
            Files.createDirectories(target.getParent());
            Files.write(target, in.readAllBytes());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the LSTM reference case (weights in {@code model.pt}) into {@code dir} and returns {@code dir}. */
    public static Path lstmCase(Path dir) {
        for (String file : LSTM_CASE) {
            Path copied = copy("lstm_case/" + file, dir);
            try {
                Files.move(copied, dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }
}
