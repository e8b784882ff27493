package dev.recur.layers.griffin;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The RG-LRU against a double-precision twin written from Griffin's equations (block-diagonal gates, {@code a =
 * exp(-8 r softplus(lambda))}, {@code sqrt(1 - a^2)} input normalisation, reset at position 0), with central
 * differences for every input: x, the incoming state, lambda and both gates' weights and biases.
 */
class RgLruGradTest {
    @ParameterizedTest(name = "B={0} T={1} heads={2} w={3} start={4}")
    @CsvSource({"2, 5, 2, 3, 0", "1, 1, 1, 4, 0", "2, 4, 3, 2, 7", "1, 1, 2, 2, 3"})
    void matchesDoubleTwin(int batch, int steps, int heads, int w, int start) {
        int l = heads * w;
        GradCheck.of("rg_lru").check(t -> {
            RgLru lru = new RgLru(t[2], t[3], t[4], t[5], t[6]);
            RgLru.Result r = lru.forward(t[0], t[1], start);
            return Reshaping.concat(1, Reshaping.reshape(r.output(), batch, steps * l), r.state());
        }, d -> twin(d, batch, steps, heads, w, start),
                in(batch, steps, l), in(batch, l), in(-1.0, 3.0, l), in(heads, w, w), in(heads, w), in(heads, w, w),
                in(heads, w));
    }

    @Test
    void sqrtDerivativeIsCappedNearZero() {
        Tensor x = Tensor.of(new float[] {0.25f, 1e-9f, 0f}, 3).requiresGrad(true);
        Tensor y = BoundedSqrt.apply(x);
        assertThat(y.data()[0]).isEqualTo(0.5f);
        y.backward(new float[] {1f, 1f, 2f});
        assertThat(x.grad().data()[0]).isCloseTo(1f, within(1e-6f)); // 1 / (2 sqrt(0.25))
        assertThat(x.grad().data()[1]).isCloseTo(1000f, within(1e-2f)); // capped: 1 / sqrt(1e-6)
        assertThat(x.grad().data()[2]).isCloseTo(2000f, within(2e-2f));
    }

    /** [B, T*L + L]: every h_t, then the final state. */
    private static double[] twin(double[][] d, int batch, int steps, int heads, int w, int start) {
        double[] x = d[0];
        double[] h0 = d[1];
        double[] lambda = d[2];
        int l = heads * w;
        double[] out = new double[batch * (steps * l + l)];
        for (int b = 0; b < batch; b++) {
            double[] h = Arrays.copyOfRange(h0, b * l, (b + 1) * l);
            for (int t = 0; t < steps; t++) {
                int xo = (b * steps + t) * l;
                for (int c = 0; c < l; c++) {
                    int block = c / w;
                    int o = c % w;
                    double gi = d[4][block * w + o];
                    double gr = d[6][block * w + o];
                    for (int i = 0; i < w; i++) {
                        double xi = x[xo + block * w + i];
                        gi += xi * d[3][(block * w + i) * w + o];
                        gr += xi * d[5][(block * w + i) * w + o];
                    }
                    double inputGate = 1 / (1 + Math.exp(-gi));
                    double recurrentGate = 1 / (1 + Math.exp(-gr));
                    double logA = -8 * recurrentGate * Math.log1p(Math.exp(lambda[c]));
                    boolean reset = start + t == 0;
                    double a = reset ? 0 : Math.exp(logA);
                    double norm = reset ? 1 : Math.sqrt(1 - Math.exp(2 * logA));
                    h[c] = a * h[c] + norm * inputGate * x[xo + c];
                    out[b * (steps * l + l) + t * l + c] = h[c];
                }
            }
            System.arraycopy(h, 0, out, b * (steps * l + l) + steps * l, l);
        }
        return out;
    }
}
