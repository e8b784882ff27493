package dev.recur.onnx.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * ONNX's own backend node tests for the recurrent operators (Debian's {@code libonnx-testdata}: the outputs were
 * computed by ONNX's NumPy reference), run through the import: all twelve must match, the GRU cases with ONNX's
 * default {@code linear_before_reset=0} and the LSTM with peepholes included. Skipped when the package is absent.
 */
class OnnxNodeTestsTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");
    private static final double TOLERANCE = 1e-5;

    /** The recurrent cases of the package, every one of which Recur computes. */
    private static final Set<String> CASES = Set.of(
            "test_gru_batchwise", "test_gru_defaults", "test_gru_seq_length", "test_gru_with_initial_bias",
            "test_lstm_batchwise", "test_lstm_defaults", "test_lstm_with_initial_bias", "test_lstm_with_peepholes",
            "test_rnn_seq_length", "test_simple_rnn_batchwise", "test_simple_rnn_defaults",
            "test_simple_rnn_with_initial_bias");

    @Test
    void everyRecurrentNodeTestMatches() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(NODE_TESTS), NODE_TESTS + " is absent (Debian package "
                + "libonnx-testdata); skipping ONNX's backend node tests");
        List<Path> cases;
        try (Stream<Path> s = Files.list(NODE_TESTS)) {
            cases = s.filter(p -> p.getFileName().toString().matches("test_(lstm|gru|rnn|simple_rnn)_.*")).sorted()
                    .toList();
        }
        Set<String> seen = new TreeSet<>();
        Map<String, Double> errors = new TreeMap<>();
        for (Path dir : cases) {
            String name = dir.getFileName().toString();
            seen.add(name);
            List<BackendCase.Comparison> results = BackendCase.load(dir).run();
            assertThat(results).as(name).isNotEmpty();
            for (BackendCase.Comparison c : results) {
                double err = relativeError(c.actual().asFloats(), c.expected().asFloats());
                errors.put(name + " " + c.name(), err);
                assertThat(err).as(name + " " + c.name()).isLessThanOrEqualTo(TOLERANCE);
            }
        }
        assertEquals(new TreeSet<>(CASES), seen, "the recurrent node tests present");
        System.out.println("ONNX node tests, relative errors: " + errors);
    }

    private static double relativeError(float[] a, float[] b) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        return ref == 0 ? diff : diff / ref;
    }
}
