package dev.recur.core.scan.selective;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The local backward scan's hand-written backward against central differences of a double-precision twin. */
class LocalBackwardScanGradTest {
    private static void check(LocalBackwardScanKernel kernel, String name, int batch, int seqLen, int channels,
                              int dState, int window) {
        GradCheck.of(name + " W=" + window).gradTolerance(2e-4).check(
                x -> LocalBackwardScan.apply(kernel, x[0], x[1], x[2], x[3], x[4], window),
                d -> LocalBackwardScanTwin.forward(d[0], d[1], d[2], d[3], d[4], window, batch, seqLen, channels,
                        dState),
                in(batch, seqLen, channels), in(0.05, 1.0, batch, seqLen, channels), in(-2.0, -0.1, channels, dState),
                in(batch, seqLen, dState), in(batch, seqLen, dState));
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        LocalBackwardScanKernel ref = new LocalBackwardScanReference();
        check(ref, "reference", 2, 7, 3, 3, 3);
        check(ref, "reference", 1, 5, 2, 2, 8);
        check(ref, "reference", 1, 4, 2, 2, 1);
    }

    @Test
    void vectorBackwardMatchesFiniteDifferences() {
        // 21 channels: at least one full vector block on every machine, plus a scalar tail.
        LocalBackwardScanKernel vec = new LocalBackwardScanVector();
        check(vec, "vector", 2, 7, 21, 3, 3);
        check(vec, "vector", 1, 6, 21, 2, 6);
    }

    @Test
    void badArgumentsNameTheOpAndTheArgument() {
        Tensor u = Tensor.zeros(2, 5, 3);
        Tensor bc = Tensor.zeros(2, 5, 4);
        Tensor a = Tensor.zeros(3, 4);
        assertThatThrownBy(() -> LocalBackwardScan.apply(u, u, a, bc, bc, 0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("localBackwardScan").hasMessageContaining("window");
        assertThatThrownBy(() -> LocalBackwardScan.apply(u, u, Tensor.zeros(4, 3), bc, bc, 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("A").hasMessageContaining("[3, 4]")
                .hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> LocalBackwardScan.apply(u, Tensor.zeros(2, 5, 2), a, bc, bc, 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("delta");
        assertThatThrownBy(() -> LocalBackwardScan.apply(u, u, a, bc, Tensor.zeros(2, 5, 5), 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("c");
        assertThatThrownBy(() -> LocalBackwardScan.apply(u, u, a, null, bc, 2))
                .isInstanceOf(RecurException.class).hasMessageContaining("b is required");
    }
}
