package dev.recur.core.scan.wkv;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The WKV op's forward against a double-precision twin ({@link WkvTwin}) and its hand-written backward against
 * central differences of that twin: gradients of the decay, bonus, keys, values and the initial state, through
 * each output (sequence, numerator, denominator, maximum) separately; from a carried state and from the empty
 * state that a fresh sequence starts with.
 */
class WkvGradTest {
    private static final String[] OUTPUTS = {"output", "num", "den", "max"};

    @ParameterizedTest(name = "B={0} T={1} D={2}")
    @CsvSource({"1, 1, 1", "2, 5, 3", "1, 9, 7", "3, 2, 4"})
    void backwardMatchesFiniteDifferencesFromCarriedState(int batch, int steps, int channels) {
        for (int which = 0; which < OUTPUTS.length; which++) {
            int output = which;
            GradCheck.of("wkv " + OUTPUTS[which]).seed(31 + which).gradTolerance(1e-3)
                    .check(t -> run(t, output), d -> twin(d, batch, steps, channels)[output],
                            in(-2.5, -0.05, channels),
                            in(-1.0, 1.0, channels),
                            in(-2.0, 2.0, batch, steps, channels),
                            in(-1.0, 1.0, batch, steps, channels),
                            in(-1.0, 1.0, batch, channels),
                            in(0.2, 2.0, batch, channels),
                            in(-1.5, 1.5, batch, channels));
        }
    }

    @ParameterizedTest(name = "B={0} T={1} D={2}")
    @CsvSource({"1, 1, 2", "2, 6, 3"})
    void backwardMatchesFiniteDifferencesFromEmptyState(int batch, int steps, int channels) {
        for (int which = 0; which < OUTPUTS.length; which++) {
            int output = which;
            GradCheck.of("wkv from empty state, " + OUTPUTS[which]).seed(7 + which).gradTolerance(1e-3)
                    .check(t -> run(t, output), d -> twin(d, batch, steps, channels)[output],
                            in(-2.5, -0.05, channels),
                            in(-1.0, 1.0, channels),
                            in(-2.0, 2.0, batch, steps, channels),
                            in(-1.0, 1.0, batch, steps, channels),
                            in(0.0, 0.0, batch, channels).constant(),
                            in(0.0, 0.0, batch, channels).constant(),
                            in(Wkv.EMPTY_MAX, Wkv.EMPTY_MAX, batch, channels).constant());
        }
    }

    @Test
    void largeKeysStayFinite() {
        // exp(90) overflows float; the running maximum keeps every exponential <= 1.
        Tensor k = Tensor.of(new float[] {90f, -80f, 85f}, 1, 3, 1);
        Tensor v = Tensor.of(new float[] {1f, 2f, 3f}, 1, 3, 1);
        Wkv.Result r = Wkv.forward(Tensor.of(new float[] {-0.5f}, 1), Tensor.of(new float[] {0.3f}, 1), k, v,
                Tensor.zeros(1, 1), Tensor.zeros(1, 1), Tensor.full(Wkv.EMPTY_MAX, 1, 1));
        double[][] expected = WkvTwin.run(1, 3, 1, new double[] {-0.5}, new double[] {0.3},
                new double[] {90, -80, 85}, new double[] {1, 2, 3}, new double[] {0}, new double[] {0},
                new double[] {Wkv.EMPTY_MAX});
        for (int t = 0; t < 3; t++) {
            assertThat((double) r.output().data()[t]).isCloseTo(expected[0][t], offset(1e-5));
        }
        assertThat((double) r.max().data()[0]).isEqualTo(expected[3][0]);
    }

    @Test
    void wrongShapesNameTheInput() {
        Tensor k = Tensor.zeros(2, 3, 4);
        Tensor s = Tensor.zeros(2, 4);
        assertThatThrownBy(() -> Wkv.forward(Tensor.zeros(4), Tensor.zeros(4), k, Tensor.zeros(2, 3, 5), s, s, s))
                .isInstanceOf(RecurException.class).hasMessageContaining("wkv: value expected shape [2, 3, 4]");
        assertThatThrownBy(() -> Wkv.forward(Tensor.zeros(3), Tensor.zeros(4), k, k, s, s, s))
                .isInstanceOf(RecurException.class).hasMessageContaining("decay");
        assertThatThrownBy(() -> Wkv.forward(Tensor.zeros(4), Tensor.zeros(4), k, k, s, Tensor.zeros(1, 4), s))
                .isInstanceOf(RecurException.class).hasMessageContaining("state denominator");
    }

    private static Tensor run(Tensor[] t, int output) {
        Wkv.Result r = Wkv.forward(t[0], t[1], t[2], t[3], t[4], t[5], t[6]);
        return new Tensor[] {r.output(), r.num(), r.den(), r.max()}[output];
    }

    private static double[][] twin(double[][] d, int batch, int steps, int channels) {
        return WkvTwin.run(batch, steps, channels, d[0], d[1], d[2], d[3], d[4], d[5], d[6]);
    }
}
