package dev.recur.core.scan.selective;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The selective scan's hand-written backward against central differences of a double-precision twin. */
class SelectiveScanGradTest {
    private static final int B = 2;
    private static final int T = 5;
    private static final int N = 3;

    /** Every argument, y and the final state; the skip, the initial state and the bias all take part. */
    private static void checkFull(SelectiveScanKernel kernel, String name, int channels, boolean softplus) {
        double deltaLow = softplus ? -2 : 0.05;
        double deltaHigh = softplus ? 1.5 : 1.0;
        GradCheck.of(name).gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = SelectiveScan.apply(kernel, x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7],
                            softplus);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> SelectiveScanTwin.forward(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], softplus, B, T,
                        channels, N),
                in(B, T, channels), in(deltaLow, deltaHigh, B, T, channels), in(-2.0, -0.1, channels, N),
                in(B, T, N), in(B, T, N), in(channels), in(B, channels, N), in(-0.5, 0.5, channels));
    }

    @Test
    void referenceBackwardMatchesFiniteDifferences() {
        checkFull(SelectiveScan.kernel(KernelMode.REFERENCE), "reference", 3, false);
        checkFull(SelectiveScan.kernel(KernelMode.REFERENCE), "reference softplus", 3, true);
    }

    @Test
    void vectorBackwardMatchesFiniteDifferences() {
        // 21 channels: at least one full vector block on every machine, plus a scalar tail.
        checkFull(new SelectiveScanVector(), "vector softplus", 21, true);
    }

    @Test
    void vectorBackwardAcrossSeveralCheckpointsMatchesFiniteDifferences() {
        int seqLen = 70;
        int channels = 16;
        GradCheck.of("vector, 3 checkpoint chunks").gradTolerance(2e-4).check(
                x -> SelectiveScan.apply(new SelectiveScanVector(), x[0], x[1], x[2], x[3], x[4], null, null,
                        null, false).output(),
                d -> java.util.Arrays.copyOf(SelectiveScanTwin.forward(d[0], d[1], d[2], d[3], d[4], null, null,
                        null, false, 1, seqLen, channels, 2), seqLen * channels),
                in(1, seqLen, channels), in(0.05, 0.5, 1, seqLen, channels), in(-1.0, -0.1, channels, 2),
                in(1, seqLen, 2), in(1, seqLen, 2));
    }

    @Test
    void optionalArgumentsMayBeAbsent() {
        GradCheck.of("no skip, no h0, no bias").check(
                x -> SelectiveScan.apply(x[0], x[1], x[2], x[3], x[4], null, null).output(),
                d -> java.util.Arrays.copyOf(SelectiveScanTwin.forward(d[0], d[1], d[2], d[3], d[4], null, null,
                        null, false, 1, 4, 18, 2), 4 * 18),
                in(1, 4, 18), in(0.05, 1.0, 1, 4, 18), in(-2.0, -0.1, 18, 2), in(1, 4, 2), in(1, 4, 2));
    }

    @Test
    void badShapesNameTheOpTheArgumentAndBothShapes() {
        Tensor u = Tensor.zeros(2, 5, 3);
        Tensor bc = Tensor.zeros(2, 5, 4);
        assertThatThrownBy(() -> SelectiveScan.apply(u, u, Tensor.zeros(4, 3), bc, bc, null, null))
                .isInstanceOf(RecurException.class).hasMessageContaining("selectiveScan")
                .hasMessageContaining("A").hasMessageContaining("[3, 4]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> SelectiveScan.apply(u, u, Tensor.zeros(3, 4), bc, Tensor.zeros(2, 5, 5), null,
                null)).isInstanceOf(RecurException.class).hasMessageContaining("c")
                .hasMessageContaining("[2, 5, 4]").hasMessageContaining("[2, 5, 5]");
        assertThatThrownBy(() -> SelectiveScan.apply(u, u, Tensor.zeros(3, 4), bc, bc, null,
                Tensor.zeros(2, 4, 3))).isInstanceOf(RecurException.class).hasMessageContaining("h0")
                .hasMessageContaining("[2, 3, 4]").hasMessageContaining("[2, 4, 3]");
        assertThatThrownBy(() -> SelectiveScan.apply(u, Tensor.zeros(2, 5, 2), Tensor.zeros(3, 4), bc, bc, null,
                null)).isInstanceOf(RecurException.class).hasMessageContaining("delta");
        assertThatThrownBy(() -> SelectiveScan.apply(u, u, Tensor.zeros(3, 4), bc, bc, Tensor.zeros(4), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("D [channels]")
                .hasMessageContaining("[3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> SelectiveScan.apply(u, u, Tensor.zeros(3, 4), bc, bc, null, null,
                Tensor.zeros(2), true)).isInstanceOf(RecurException.class).hasMessageContaining("deltaBias");
    }
}
