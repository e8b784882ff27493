package dev.recur.core.scan.gla;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The GLA and linear-attention backward against central differences of a double-precision twin. */
class GlaGradTest {
    private static final float SCALE = 0.7f;

    private static void checkGla(GlaKernel kernel, String name, int b, int t, int h, int k, int v) {
        GradCheck.of(name).gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = Gla.apply(kernel, x[0], x[1], x[2], x[3], x[4], SCALE);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> GlaTwin.forward(d[0], d[1], d[2], d[3], d[4], SCALE, b, t, h, k, v),
                in(b, t, h, k), in(b, t, h, k), in(b, t, h, v), in(-1.5, -0.01, b, t, h, k), in(b, h, k, v));
    }

    @Test
    void backwardAfterReferenceForwardMatchesFiniteDifferences() {
        checkGla(new GlaReference(), "gla reference", 2, 6, 2, 3, 2);
    }

    @Test
    void backwardAfterChunkedForwardMatchesFiniteDifferences() {
        checkGla(new GlaChunked(4, 2), "gla chunked", 2, 7, 2, 3, 2);
    }

    @Test
    void backwardAcrossCheckpointSegmentsMatchesFiniteDifferences() {
        checkGla(new GlaReference(), "gla over three segments", 1, 2 * GlaReference.SEGMENT + 3, 1, 2, 2);
    }

    @Test
    void linearAttentionBackwardMatchesFiniteDifferences() {
        GradCheck.of("linear attention").gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = LinearAttention.apply(new GlaChunked(3, 2), x[0], x[1], x[2], x[3], SCALE);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> GlaTwin.forward(d[0], d[1], d[2], null, d[3], SCALE, 2, 5, 2, 3, 4),
                in(2, 5, 2, 3), in(2, 5, 2, 3), in(2, 5, 2, 4), in(2, 2, 3, 4));
    }

    @Test
    void initialStateMayBeAbsent() {
        GradCheck.of("gla without h0").check(
                x -> Gla.apply(x[0], x[1], x[2], x[3], null, SCALE).output(),
                d -> java.util.Arrays.copyOf(GlaTwin.forward(d[0], d[1], d[2], d[3], null, SCALE, 1, 5, 1, 2, 3),
                        5 * 3),
                in(1, 5, 1, 2), in(1, 5, 1, 2), in(1, 5, 1, 3), in(-1.0, -0.01, 1, 5, 1, 2));
    }

    @Test
    void badShapesNameTheOpTheArgumentAndBothShapes() {
        Tensor q = Tensor.zeros(1, 5, 2, 3);
        Tensor v = Tensor.zeros(1, 5, 2, 4);
        assertThatThrownBy(() -> Gla.apply(q, Tensor.zeros(1, 5, 2, 4), v, q, null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("gla").hasMessageContaining("k")
                .hasMessageContaining("[1, 5, 2, 3]").hasMessageContaining("[1, 5, 2, 4]");
        assertThatThrownBy(() -> Gla.apply(q, q, Tensor.zeros(1, 4, 2, 4), q, null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("v").hasMessageContaining("[1, 4, 2, 4]");
        assertThatThrownBy(() -> LinearAttention.apply(q, q, v, Tensor.zeros(1, 2, 4, 3), 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("linearAttention")
                .hasMessageContaining("h0").hasMessageContaining("[1, 2, 3, 4]");
        assertThatThrownBy(() -> Gla.apply(q, q, v, null, null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("logDecay");
    }
}
