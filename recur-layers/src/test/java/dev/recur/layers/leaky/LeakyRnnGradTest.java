package dev.recur.layers.leaky;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gradients of the leaky RNN (input, initial state, both weights, bias and the raw time constants) against
 * central differences of a double-precision twin of the Euler update, for both nonlinearities.
 */
class LeakyRnnGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 4;

    @ParameterizedTest
    @EnumSource(LeakyActivation.class)
    void gradientsMatchFiniteDifferencesOfDoubleTwin(LeakyActivation act) {
        LeakyRnnConfig cfg = LeakyRnnConfig.of(3, 5).withActivation(act);
        int h = cfg.hiddenSize();
        GradCheck.of("leaky RNN " + act).check(
                t -> LeakyRnnLayer.fromParameters(cfg, t[2], t[3], t[4], t[5]).forward(t[0], new LeakyRnnState(t[1]))
                        .output(),
                d -> twin(cfg, d),
                in(BATCH, STEPS, cfg.inputSize()), in(-0.5, 0.5, BATCH, h), in(cfg.inputSize(), h), in(h, h), in(h),
                in(-2.0, 2.0, h));
    }

    static double[] twin(LeakyRnnConfig cfg, double[][] in) {
        int n = cfg.inputSize();
        int h = cfg.hiddenSize();
        double[] x = in[0];
        double[] state = in[1].clone();
        double[] u = in[2];
        double[] w = in[3];
        double[] bias = in[4];
        double[] raw = in[5];
        double[] y = new double[BATCH * STEPS * h];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                double[] next = new double[h];
                for (int j = 0; j < h; j++) {
                    double pre = bias[j];
                    for (int k = 0; k < h; k++) {
                        pre += state[b * h + k] * w[k * h + j];
                    }
                    for (int k = 0; k < n; k++) {
                        pre += x[(b * STEPS + t) * n + k] * u[k * h + j];
                    }
                    double f = cfg.activation() == LeakyActivation.TANH ? Math.tanh(pre) : Math.max(0, pre);
                    double tau = 1 + Math.log1p(Math.exp(raw[j]));
                    next[j] = (1 - 1 / tau) * state[b * h + j] + f / tau;
                }
                System.arraycopy(next, 0, state, b * h, h);
                System.arraycopy(next, 0, y, (b * STEPS + t) * h, h);
            }
        }
        return y;
    }
}
