package dev.recur.core.scan.delta;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The (gated) delta-rule backward against central differences of a double-precision twin. */
class DeltaGradTest {
    private static final float SCALE = 0.6f;

    private static void checkGated(DeltaKernel kernel, String name, int b, int t, int h, int k, int v) {
        GradCheck.of(name).gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = GatedDeltaRule.apply(kernel, x[0], x[1], x[2], x[3], x[4], x[5], SCALE);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> DeltaTwin.forward(d[0], d[1], d[2], d[4], d[3], d[5], SCALE, b, t, h, k, v),
                in(b, t, h, k), in(-0.6, 0.6, b, t, h, k), in(b, t, h, v), in(-1.5, -0.01, b, t, h),
                in(0.1, 0.9, b, t, h), in(b, h, k, v));
    }

    @Test
    void backwardAfterReferenceForwardMatchesFiniteDifferences() {
        checkGated(new DeltaReference(), "gated delta reference", 2, 6, 2, 3, 2);
    }

    @Test
    void backwardAfterChunkedForwardMatchesFiniteDifferences() {
        checkGated(new DeltaChunked(4), "gated delta chunked", 2, 7, 2, 3, 2);
    }

    @Test
    void backwardAcrossCheckpointSegmentsMatchesFiniteDifferences() {
        checkGated(new DeltaReference(), "gated delta over three segments", 1, 2 * DeltaReference.SEGMENT + 3, 1,
                2, 2);
    }

    @Test
    void ungatedDeltaRuleBackwardMatchesFiniteDifferences() {
        GradCheck.of("delta rule").gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = DeltaRule.apply(new DeltaChunked(3), x[0], x[1], x[2], x[3], x[4], SCALE);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> DeltaTwin.forward(d[0], d[1], d[2], d[3], null, d[4], SCALE, 2, 5, 2, 3, 4),
                in(2, 5, 2, 3), in(-0.6, 0.6, 2, 5, 2, 3), in(2, 5, 2, 4), in(0.1, 0.9, 2, 5, 2), in(2, 2, 3, 4));
    }

    @Test
    void initialStateMayBeAbsent() {
        GradCheck.of("gated delta without h0").check(
                x -> GatedDeltaRule.apply(x[0], x[1], x[2], x[3], x[4], null, SCALE).output(),
                d -> Arrays.copyOf(DeltaTwin.forward(d[0], d[1], d[2], d[4], d[3], null, SCALE, 1, 5, 1, 2, 3),
                        5 * 3),
                in(1, 5, 1, 2), in(-0.6, 0.6, 1, 5, 1, 2), in(1, 5, 1, 3), in(-1.0, -0.01, 1, 5, 1),
                in(0.1, 0.9, 1, 5, 1));
    }

    @Test
    void badShapesNameTheOpTheArgumentAndBothShapes() {
        Tensor q = Tensor.zeros(1, 5, 2, 3);
        Tensor v = Tensor.zeros(1, 5, 2, 4);
        Tensor perStep = Tensor.zeros(1, 5, 2);
        assertThatThrownBy(() -> GatedDeltaRule.apply(q, q, v, Tensor.zeros(1, 5, 3), perStep, null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("gatedDeltaRule")
                .hasMessageContaining("g").hasMessageContaining("[1, 5, 2]").hasMessageContaining("[1, 5, 3]");
        assertThatThrownBy(() -> DeltaRule.apply(q, q, v, Tensor.zeros(5, 2), null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("deltaRule").hasMessageContaining("beta");
        assertThatThrownBy(() -> GatedDeltaRule.apply(q, q, v, perStep, perStep, Tensor.zeros(1, 2, 4, 3), 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("h0").hasMessageContaining("[1, 2, 3, 4]");
        assertThatThrownBy(() -> GatedDeltaRule.apply(q, q, v, null, perStep, null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("g is required");
    }
}
