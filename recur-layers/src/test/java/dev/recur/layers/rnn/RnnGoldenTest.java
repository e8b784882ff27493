package dev.recur.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PyTorch parity: each reference case computed by PyTorch (outputs, final states, and the gradients of every
 * input and parameter) is reproduced within 1e-4 (outputs) and 1e-3 (gradients) relative error.
 */
class RnnGoldenTest {
    static Path caseDir(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping PyTorch reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }

    static double relativeError(Tensor actual, Tensor expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual.data()[i] - expected.data()[i]));
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh", "lstm", "lstm_bidir", "gru", "gru_bidir"})
    void matchesPyTorch(String name) throws Exception {
        TorchRnnCase c = TorchRnnCase.load(caseDir(name));
        List<TorchRnnCase.Pair> pairs = c.run();
        List<String> failures = new ArrayList<>();
        int gradients = 0;
        for (TorchRnnCase.Pair p : pairs) {
            double tolerance = p.gradient() ? 1e-3 : 1e-4;
            double err = relativeError(p.actual(), p.expected());
            gradients += p.gradient() ? 1 : 0;
            if (!(err <= tolerance)) {
                failures.add(p.name() + " rel err " + err);
            }
        }
        int expectedGradients = 2 + c.config().parameterNames().size() + (c.config().cell().hasCellState() ? 1 : 0);
        assertTrue(gradients == expectedGradients, name + ": compared " + gradients + " gradients, expected "
                + expectedGradients);
        assertTrue(failures.isEmpty(), name + ": " + failures);
    }
}
