package dev.recur.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Recur's own PyTorch reference cases, written by {@code docs/reference_cases.py} into the test resources
 * ({@code torch-cases/NAME}), and the comparison every golden test makes.
 */
final class TorchCases {
    static final double OUTPUT_TOLERANCE = 1e-4;
    static final double GRADIENT_TOLERANCE = 1e-3;

    private TorchCases() {}

    /** The folder holding every case. */
    static Path root() {
        URL url = TorchCases.class.getClassLoader().getResource("torch-cases");
        assertTrue(url != null, "no torch-cases on the test classpath");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path dir(String name) {
        return root().resolve(name);
    }

    /** Every case's name, sorted. */
    static List<String> names() {
        try (Stream<Path> dirs = Files.list(root())) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code max|a-b| / max|b|}; NaN where the reference has a number is infinitely wrong. */
    static double relativeError(Tensor actual, Tensor expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            double d = Math.abs((double) actual.data()[i] - expected.data()[i]);
            maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }

    /** The pairs whose relative error exceeds the verify tolerances, described. */
    static List<String> failures(List<TorchRnnCase.Pair> pairs) {
        return pairs.stream().filter(p -> !(relativeError(p.actual(), p.expected())
                        <= (p.gradient() ? GRADIENT_TOLERANCE : OUTPUT_TOLERANCE)))
                .map(p -> (p.gradient() ? "grad " : "") + p.name() + " rel err "
                        + relativeError(p.actual(), p.expected()))
                .toList();
    }

    /** The names of the tensors a case's file holds. */
    static List<String> tensorNames(Path file) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return List.copyOf(f.names());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
