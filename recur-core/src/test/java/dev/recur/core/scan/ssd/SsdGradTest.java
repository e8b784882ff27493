package dev.recur.core.scan.ssd;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** The SSD backward (sequential) against central differences of a double-precision twin, after either forward. */
class SsdGradTest {
    private static final int B = 2;
    private static final int T = 6;
    private static final int H = 4;
    private static final int P = 3;
    private static final int G = 2;
    private static final int N = 2;

    private static void check(SsdKernel kernel, String name) {
        GradCheck.of(name).gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = Ssd.apply(kernel, x[0], x[1], x[2], x[3], x[4], x[5], x[6]);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> SsdTwin.forward(d[0], d[1], d[2], d[3], d[4], d[5], d[6], B, T, H, P, G, N),
                in(B, T, H, P), in(0.05, 1.0, B, T, H), in(-2.0, -0.1, H), in(B, T, G, N), in(B, T, G, N), in(H),
                in(B, H, P, N));
    }

    @Test
    void backwardAfterReferenceForwardMatchesFiniteDifferences() {
        check(new SsdReference(), "ssd reference");
    }

    @Test
    void backwardAfterChunkedForwardMatchesFiniteDifferences() {
        check(new SsdChunked(4), "ssd chunked");
    }

    @Test
    void optionalArgumentsMayBeAbsent() {
        GradCheck.of("ssd without D and h0").check(
                x -> Ssd.apply(x[0], x[1], x[2], x[3], x[4], null, null).output(),
                d -> java.util.Arrays.copyOf(SsdTwin.forward(d[0], d[1], d[2], d[3], d[4], null, null, 1, 5, 2, 2,
                        1, 3), 5 * 2 * 2),
                in(1, 5, 2, 2), in(0.05, 1.0, 1, 5, 2), in(-2.0, -0.1, 2), in(1, 5, 1, 3), in(1, 5, 1, 3));
    }

    @Test
    void badShapesNameTheOpTheArgumentAndBothShapes() {
        Tensor x = Tensor.zeros(1, 5, 4, 3);
        Tensor bc = Tensor.zeros(1, 5, 2, 6);
        Tensor dt = Tensor.zeros(1, 5, 4);
        assertThatThrownBy(() -> Ssd.apply(x, Tensor.zeros(1, 5, 3), Tensor.zeros(4), bc, bc, null, null))
                .isInstanceOf(RecurException.class).hasMessageContaining("ssd").hasMessageContaining("dt")
                .hasMessageContaining("[1, 5, 4]").hasMessageContaining("[1, 5, 3]");
        assertThatThrownBy(() -> Ssd.apply(x, dt, Tensor.zeros(4), Tensor.zeros(1, 5, 3, 6), Tensor.zeros(1, 5, 3, 6),
                null, null)).isInstanceOf(RecurException.class).hasMessageContaining("multiple of groups");
        assertThatThrownBy(() -> Ssd.apply(x, dt, Tensor.zeros(4), bc, bc, null, Tensor.zeros(1, 4, 3, 5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("h0")
                .hasMessageContaining("[1, 4, 3, 6]").hasMessageContaining("[1, 4, 3, 5]");
    }
}
