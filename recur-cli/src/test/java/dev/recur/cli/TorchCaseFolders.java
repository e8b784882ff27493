package dev.recur.cli;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Recur's own PyTorch module cases (recur-layers' test resources, written by {@code docs/reference_cases.py}), and
 * altered copies of them.
 */
final class TorchCaseFolders {
    private TorchCaseFolders() {}

    static Path root() {
        Path root = Path.of("").toAbsolutePath().getParent().resolve("recur-layers/src/test/resources/torch-cases");
        Assumptions.assumeTrue(Files.isDirectory(root), "no torch-cases at " + root + "; skipping");
        return root;
    }

    static Path dir(String name) {
        return root().resolve(name);
    }

    static List<Path> all() throws IOException {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    static Path copy(String name, Path tmp) throws IOException {
        Path to = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(dir(name))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /**
     * Writes {@code from}'s tensors to {@code to}, keeping only {@code keep}, with {@code change} applied to
     * {@code name} (float) and integer tensors kept as they are.
     */
    static void rewrite(Path from, Path to, List<String> keep, String name, Consumer<Tensor> change)
            throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(from)) {
            for (String n : f.names()) {
                if (keep != null && !keep.contains(n)) {
                    continue;
                }
                DType dtype = f.info(n).dtype();
                if (!dtype.isFloating()) {
                    writer.add(n, f.readInt(n), dtype);
                    continue;
                }
                Tensor t = f.readFloat(n);
                if (n.equals(name)) {
                    change.accept(t);
                }
                writer.add(n, t);
            }
        }
        if (from.equals(to)) {
            Files.delete(to);
        }
        writer.write(to);
    }

    /** Rewrites {@code io} without its {@code lengths}, then lets {@code lengths} add a replacement. */
    static void replaceLengths(Path io, Consumer<SafetensorsWriter> lengths) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(io)) {
            for (String n : f.names()) {
                if (!n.equals("lengths")) {
                    writer.add(n, f.readFloat(n));
                }
            }
        }
        lengths.accept(writer);
        Files.delete(io);
        writer.write(io);
    }
}
