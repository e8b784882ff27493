package dev.recur.core.scan.gla;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.scan.ScanTesting;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * HGRN-2 against a double twin of its own recurrence {@code S_t = diag(f_t) S_{t-1} + (1 - f_t) i_t^T}, and its
 * lower-bounded forget gate against the closed form, both with central differences.
 */
class Hgrn2GradTest {
    private static final float SCALE = 0.8f;

    /** HGRN-2 written directly: forget gate f, key 1 - f. */
    private static double[] twin(double[] gate, double[] logForget, double[] input, double[] h0, int b, int t,
                                 int h, int k, int v) {
        double[] key = new double[logForget.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = 1 - Math.exp(logForget[i]);
        }
        return GlaTwin.forward(gate, key, input, logForget, h0, SCALE, b, t, h, k, v);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        GradCheck.of("hgrn2").gradTolerance(2e-4).check(
                x -> {
                    ScanOutput out = Hgrn2.apply(new GlaChunked(3, 2), x[0], x[1], x[2], x[3], SCALE);
                    return ScanTesting.concat(out.output(), out.state());
                },
                d -> twin(d[0], d[1], d[2], d[3], 2, 7, 2, 3, 2),
                in(2, 7, 2, 3), in(-2.0, -0.01, 2, 7, 2, 3), in(2, 7, 2, 2), in(2, 2, 3, 2));
    }

    @Test
    void lowerBoundedForgetGateMatchesClosedForm() {
        for (float lowerBound : new float[] {0f, 0.3f, 0.9f}) {
            GradCheck.of("hgrn2 forget gate, lower bound " + lowerBound).check(
                    x -> Hgrn2.logForget(x[0], lowerBound),
                    d -> {
                        double[] out = new double[d[0].length];
                        for (int i = 0; i < out.length; i++) {
                            out[i] = Math.log(lowerBound + (1 - lowerBound) / (1 + Math.exp(-d[0][i])));
                        }
                        return out;
                    },
                    in(-6.0, 6.0, 4, 5));
        }
    }

    @Test
    void badInputsAreNamed() {
        Tensor gate = Tensor.zeros(1, 5, 2, 3);
        assertThatThrownBy(() -> Hgrn2.apply(gate, Tensor.zeros(1, 5, 2, 4), Tensor.zeros(1, 5, 2, 2), null, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("hgrn2").hasMessageContaining("logForget")
                .hasMessageContaining("[1, 5, 2, 4]");
        assertThatThrownBy(() -> Hgrn2.logForget(gate, 1f))
                .isInstanceOf(RecurException.class).hasMessageContaining("lower bound");
    }
}
