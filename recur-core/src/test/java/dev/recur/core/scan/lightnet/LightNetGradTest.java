package dev.recur.core.scan.lightnet;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.scan.gla.GlaChunked;
import dev.recur.core.scan.gla.GlaReference;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** LightNet's op (normaliser and scan) against central differences of the additive-form double twin. */
class LightNetGradTest {
    private static final float SCALE = 0.9f;

    @Test
    void backwardWithCarriedStateMatchesFiniteDifferences() {
        GradCheck.of("lightnet with state").gradTolerance(2e-4).check(
                x -> {
                    LightNetOutput out = LightNet.apply(new GlaChunked(3, 2), x[0], x[1], x[2], x[3], x[4], SCALE);
                    return ScanTesting.concat(out.output(), out.state(), out.logNormalizer());
                },
                d -> LightNetTwin.forward(d[0], d[1], d[2], d[3], d[4], SCALE, 2, 7, 2, 3, 2),
                in(2, 7, 2, 3), in(-2.0, 2.0, 2, 7, 2, 3), in(2, 7, 2, 2), in(2, 2, 3, 2), in(2, 2, 3));
    }

    @Test
    void backwardFromTheStartOfASequenceMatchesFiniteDifferences() {
        GradCheck.of("lightnet from scratch").gradTolerance(2e-4).check(
                x -> {
                    LightNetOutput out = LightNet.apply(new GlaReference(), x[0], x[1], x[2], null, null, SCALE);
                    return ScanTesting.concat(out.output(), out.state(), out.logNormalizer());
                },
                d -> LightNetTwin.forward(d[0], d[1], d[2], null, null, SCALE, 1, 6, 2, 2, 3),
                in(1, 6, 2, 2), in(-2.0, 2.0, 1, 6, 2, 2), in(1, 6, 2, 3));
    }

    @Test
    void outputAloneHasTheSameGradient() {
        GradCheck.of("lightnet output only").check(
                x -> LightNet.apply(x[0], x[1], x[2], null, null, SCALE).output(),
                d -> Arrays.copyOf(LightNetTwin.forward(d[0], d[1], d[2], null, null, SCALE, 1, 5, 1, 2, 2), 10),
                in(1, 5, 1, 2), in(-2.0, 2.0, 1, 5, 1, 2), in(1, 5, 1, 2));
    }

    @Test
    void aStateNeedsItsNormaliser() {
        Tensor q = Tensor.zeros(1, 4, 2, 3);
        Tensor v = Tensor.zeros(1, 4, 2, 5);
        assertThatThrownBy(() -> LightNet.apply(q, q, v, Tensor.zeros(1, 2, 3, 5), null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("lightNet").hasMessageContaining("z0");
        assertThatThrownBy(() -> LightNet.apply(q, q, v, Tensor.zeros(1, 2, 3, 5), Tensor.zeros(1, 3, 3), 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("z0").hasMessageContaining("[1, 2, 3]");
    }
}
