package dev.recur.layers.rhn;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradients of the RHN layer (input, initial state and every parameter) against central differences of a
 * double-precision twin written from the paper's equations, for depths 1 and 3 and with layer norm.
 */
class RhnGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 3;

    static Stream<RhnConfig> configs() {
        return Stream.of(RhnConfig.of(3, 4, 1), RhnConfig.of(3, 4, 3), RhnConfig.of(2, 5, 2).withLayerNorm(true));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void gradientsMatchFiniteDifferencesOfDoubleTwin(RhnConfig cfg) {
        List<String> names = new ArrayList<>(RhnLayer.parameterShapes(cfg).keySet());
        List<GradCheck.Input> inputs = new ArrayList<>();
        inputs.add(in(BATCH, STEPS, cfg.inputSize()));
        inputs.add(in(-0.5, 0.5, BATCH, cfg.hiddenSize()));
        for (int[] shape : RhnLayer.parameterShapes(cfg).values()) {
            inputs.add(in(shape));
        }
        GradCheck.of("RHN " + cfg).forwardTolerance(1e-5).gradTolerance(1e-4).check(t -> {
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                params.put(names.get(i), t[i + 2]);
            }
            return RhnLayer.fromParameters(cfg, params).forward(t[0], new RhnState(t[1])).output();
        }, d -> twin(cfg, d), inputs.toArray(new GradCheck.Input[0]));
    }

    /** The RHN in double, from eq. 6-8 of Zilly et al. (2017); inputs in the order of the check above. */
    static double[] twin(RhnConfig cfg, double[][] in) {
        int n = cfg.inputSize();
        int h = cfg.hiddenSize();
        double[] x = in[0];
        double[] s = in[1].clone();
        double[] w = in[2];
        double[] y = new double[BATCH * STEPS * h];
        int per = cfg.layerNorm() ? 4 : 2;
        for (int t = 0; t < STEPS; t++) {
            for (int l = 0; l < cfg.depth(); l++) {
                double[] r = in[3 + per * l];
                double[] bias = in[4 + per * l];
                double[] next = new double[s.length];
                for (int b = 0; b < BATCH; b++) {
                    double[] pre = new double[2 * h];
                    for (int j = 0; j < 2 * h; j++) {
                        double acc = 0;
                        for (int k = 0; k < h; k++) {
                            acc += s[b * h + k] * r[k * 2 * h + j];
                        }
                        pre[j] = acc;
                    }
                    if (cfg.layerNorm()) {
                        layerNorm(pre, in[5 + per * l], in[6 + per * l]);
                    }
                    for (int j = 0; j < 2 * h; j++) {
                        pre[j] += bias[j];
                        if (l == 0) {
                            for (int k = 0; k < n; k++) {
                                pre[j] += x[(b * STEPS + t) * n + k] * w[k * 2 * h + j];
                            }
                        }
                    }
                    for (int j = 0; j < h; j++) {
                        double cand = Math.tanh(pre[j]);
                        double gate = 1 / (1 + Math.exp(-pre[h + j]));
                        next[b * h + j] = cand * gate + s[b * h + j] * (1 - gate);
                    }
                }
                s = next;
            }
            for (int b = 0; b < BATCH; b++) {
                System.arraycopy(s, b * h, y, (b * STEPS + t) * h, h);
            }
        }
        return y;
    }

    private static void layerNorm(double[] v, double[] gain, double[] shift) {
        double mean = 0;
        for (double e : v) {
            mean += e;
        }
        mean /= v.length;
        double var = 0;
        for (double e : v) {
            var += (e - mean) * (e - mean);
        }
        var /= v.length;
        double rstd = 1 / Math.sqrt(var + 1e-5);
        for (int j = 0; j < v.length; j++) {
            v[j] = (v[j] - mean) * rstd * gain[j] + shift[j];
        }
    }
}
