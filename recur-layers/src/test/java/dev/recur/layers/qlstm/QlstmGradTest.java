package dev.recur.layers.qlstm;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the quasi-LSTM (input, initial cell, weight, bias) through both outputs, {@code h} at every
 * timestep and the final cell, against central differences of a double-precision twin written from the
 * Languini equations with a plain sequential loop. Hidden size 18 covers a full vector of lanes and a tail.
 */
class QlstmGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 5;

    @Test
    void outputGradientsMatchFiniteDifferences() {
        check(QlstmConfig.of(3, 4).withInitStd(0.5f), 0);
        check(QlstmConfig.of(3, 18).withInitStd(0.5f), 0);
    }

    @Test
    void finalCellGradientsMatchFiniteDifferences() {
        check(QlstmConfig.of(3, 4).withInitStd(0.5f), 1);
    }

    private static void check(QlstmConfig cfg, int which) {
        int h = cfg.hiddenSize();
        GradCheck.of("quasi-LSTM H=" + h + " output " + which).check(t -> {
            QlstmOutput out = QlstmLayer.fromParameters(cfg, t[2], t[3]).forward(t[0], new QlstmState(t[1]));
            return which == 0 ? out.output() : out.state().c();
        }, d -> twin(cfg, d)[which],
                in(BATCH, STEPS, cfg.inputSize()), in(-0.5, 0.5, BATCH, h), in(cfg.inputSize(), 4 * h),
                in(4 * h));
    }

    /** {h [B, T, H], c_T [B, H]} in double. */
    static double[][] twin(QlstmConfig cfg, double[][] in) {
        int n = cfg.inputSize();
        int h = cfg.hiddenSize();
        double[] x = in[0];
        double[] c = in[1].clone();
        double[] w = in[2];
        double[] bias = in[3];
        double[] out = new double[BATCH * STEPS * h];
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                for (int j = 0; j < h; j++) {
                    double[] pre = new double[4];
                    for (int g = 0; g < 4; g++) {
                        double acc = bias[g * h + j];
                        for (int k = 0; k < n; k++) {
                            acc += x[(b * STEPS + t) * n + k] * w[k * 4 * h + g * h + j];
                        }
                        pre[g] = acc;
                    }
                    double f = sigmoid(pre[0] + cfg.forgetBias());
                    double i = sigmoid(pre[1]);
                    double z = Math.tanh(pre[2]);
                    double o = sigmoid(pre[3]);
                    c[b * h + j] = f * c[b * h + j] + i * z;
                    out[(b * STEPS + t) * h + j] = o * Math.tanh(c[b * h + j]);
                }
            }
        }
        return new double[][] {out, c};
    }

    private static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }
}
