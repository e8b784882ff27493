package dev.recur.onnx.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.recur.core.RecurException;
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
 * computed by ONNX's NumPy reference), run through the import. Every case whose features Recur computes must
 * match; every other case must be refused with its one-line reason. Skipped when the package is absent.
 */
class OnnxNodeTestsTest {
    private static final Path NODE_TESTS = Path.of("/usr/share/libonnx-testdata/data/node");
    private static final double TOLERANCE = 1e-5;

    /** The cases Recur computes. */
    private static final Set<String> SUPPORTED = Set.of(
            "test_lstm_batchwise", "test_lstm_defaults", "test_lstm_with_initial_bias",
            "test_rnn_seq_length", "test_simple_rnn_batchwise", "test_simple_rnn_defaults",
            "test_simple_rnn_with_initial_bias");

    private static final String GRU_RESET = "node #0 (GRU): attribute linear_before_reset 0 is not supported; Recur's "
            + "GRU applies the reset gate after the recurrent product (linear_before_reset=1, as PyTorch's GRU)";

    /** The cases refused in this version, with the reason after the file name. */
    private static final Map<String, String> REFUSED = Map.of(
            "test_gru_batchwise", GRU_RESET,
            "test_gru_defaults", GRU_RESET,
            "test_gru_seq_length", GRU_RESET,
            "test_gru_with_initial_bias", GRU_RESET,
            "test_lstm_with_peepholes", "node #0 (LSTM): input P (peepholes) with non-zero values is not supported; "
                    + "Recur's LSTM has no peephole connections");

    @Test
    void supportedCasesMatchAndTheOthersAreRefusedWithTheirReason() throws IOException {
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
            if (SUPPORTED.contains(name)) {
                List<BackendCase.Comparison> results = BackendCase.load(dir).run();
                assertThat(results).as(name).isNotEmpty();
                for (BackendCase.Comparison c : results) {
                    double err = relativeError(c.actual().asFloats(), c.expected().asFloats());
                    errors.put(name + " " + c.name(), err);
                    assertThat(err).as(name + " " + c.name()).isLessThanOrEqualTo(TOLERANCE);
                }
            } else {
                String reason = REFUSED.get(name);
                assertThat(reason).as("case " + name + " is neither supported nor expected to be refused").isNotNull();
                assertThatThrownBy(() -> BackendCase.load(dir).run()).as(name).isInstanceOf(RecurException.class)
                        .hasMessage(dir.resolve("model.onnx") + ": " + reason);
            }
        }
        Set<String> expected = new TreeSet<>(SUPPORTED);
        expected.addAll(REFUSED.keySet());
        assertEquals(expected, seen, "the recurrent node tests present");
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
