package dev.recur.layers.linear;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import dev.recur.layers.block.Params;
import dev.recur.layers.lm.WeightSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Gated DeltaNet mixer in Qwen3-Next's fused layout against a double-precision twin written from the reference's
 * description, with three value heads per key head (the golden case has two): the per-key-head interleaved {@code
 * in_proj_qkvz} and {@code in_proj_ba} layouts, the causal convolution with SiLU over queries, keys and values,
 * L2-normalised queries and keys repeated to their value heads, {@code g = -exp(A_log) softplus(a + dt_bias)}, {@code
 * beta = sigmoid(b)}, the gated delta rule with scale {@code 1 / sqrt(dk)}, the gated RMSNorm with {@code silu(z)} and
 * {@code out_proj}. Forward values and central-difference gradients for the input and every weight.
 */
class GatedDeltaNetGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 5;
    private static final int HIDDEN = 6;
    private static final int KEY_HEADS = 2;
    private static final int VALUE_HEADS = 6;
    private static final int R = VALUE_HEADS / KEY_HEADS;
    private static final int DK = 3;
    private static final int DV = 2;
    private static final int KERNEL = 3;
    private static final int PER_KEY_HEAD = 2 * DK + 2 * R * DV;
    private static final int CHANNELS = 2 * KEY_HEADS * DK + VALUE_HEADS * DV;
    private static final float EPS = 1e-6f;

    private static GatedDeltaNetConfig config() {
        return new GatedDeltaNetConfig(KEY_HEADS, VALUE_HEADS, DK, DV, KERNEL, EPS,
                GatedDeltaNetConfig.Layout.FUSED_PER_KEY_HEAD);
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static double[] linear(double[] w, double[] x, int xOffset, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                y[o] += w[o * in + i] * x[xOffset + i];
            }
        }
        return y;
    }

    private static void l2Normalise(double[] v, int from, int length) {
        double s = 0;
        for (int i = from; i < from + length; i++) {
            s += v[i] * v[i];
        }
        double inv = 1 / Math.sqrt(s + 1e-6);
        for (int i = from; i < from + length; i++) {
            v[i] *= inv;
        }
    }

    /**
     * inputs: x [B, T, H], qkvz [.., H], ba [2Hv, H], conv [C, 1, K], dt_bias, A_log [Hv], norm [dv], out [H, Hv*dv].
     */
    private static double[] twin(double[][] in) {
        double[] y = new double[BATCH * STEPS * HIDDEN];
        for (int b = 0; b < BATCH; b++) {
            double[][] mixed = new double[STEPS][CHANNELS];
            double[][] z = new double[STEPS][VALUE_HEADS * DV];
            double[][] beta = new double[STEPS][VALUE_HEADS];
            double[][] g = new double[STEPS][VALUE_HEADS];
            for (int t = 0; t < STEPS; t++) {
                int xOffset = (b * STEPS + t) * HIDDEN;
                double[] p = linear(in[1], in[0], xOffset, KEY_HEADS * PER_KEY_HEAD, HIDDEN);
                double[] ba = linear(in[2], in[0], xOffset, 2 * VALUE_HEADS, HIDDEN);
                for (int j = 0; j < KEY_HEADS; j++) {
                    int base = j * PER_KEY_HEAD;
                    for (int d = 0; d < DK; d++) {
                        mixed[t][j * DK + d] = p[base + d];
                        mixed[t][KEY_HEADS * DK + j * DK + d] = p[base + DK + d];
                    }
                    for (int m = 0; m < R; m++) {
                        int h = j * R + m;
                        for (int d = 0; d < DV; d++) {
                            mixed[t][2 * KEY_HEADS * DK + h * DV + d] = p[base + 2 * DK + m * DV + d];
                            z[t][h * DV + d] = p[base + 2 * DK + R * DV + m * DV + d];
                        }
                        beta[t][h] = 1 / (1 + Math.exp(-ba[j * 2 * R + m]));
                        double a = ba[j * 2 * R + R + m] + in[4][h];
                        double softplus = a > 20 ? a : Math.log1p(Math.exp(a));
                        g[t][h] = -Math.exp(in[5][h]) * softplus;
                    }
                }
            }
            double[][] u = new double[STEPS][CHANNELS];
            for (int t = 0; t < STEPS; t++) {
                for (int c = 0; c < CHANNELS; c++) {
                    double s = 0;
                    for (int i = 0; i < KERNEL; i++) {
                        int src = t - (KERNEL - 1) + i;
                        if (src >= 0) {
                            s += in[3][c * KERNEL + i] * mixed[src][c];
                        }
                    }
                    u[t][c] = silu(s);
                }
                for (int j = 0; j < 2 * KEY_HEADS; j++) {
                    l2Normalise(u[t], j * DK, DK);
                }
            }
            double scale = 1 / Math.sqrt(DK);
            for (int h = 0; h < VALUE_HEADS; h++) {
                int j = h / R;
                double[][] s = new double[DK][DV];
                for (int t = 0; t < STEPS; t++) {
                    double alpha = Math.exp(g[t][h]);
                    double[] k = new double[DK];
                    double[] q = new double[DK];
                    for (int d = 0; d < DK; d++) {
                        q[d] = u[t][j * DK + d] * scale;
                        k[d] = u[t][KEY_HEADS * DK + j * DK + d];
                    }
                    double[] delta = new double[DV];
                    for (int e = 0; e < DV; e++) {
                        double memory = 0;
                        for (int d = 0; d < DK; d++) {
                            s[d][e] *= alpha;
                            memory += s[d][e] * k[d];
                        }
                        delta[e] = (u[t][2 * KEY_HEADS * DK + h * DV + e] - memory) * beta[t][h];
                    }
                    double[] o = new double[DV];
                    for (int e = 0; e < DV; e++) {
                        for (int d = 0; d < DK; d++) {
                            s[d][e] += k[d] * delta[e];
                            o[e] += s[d][e] * q[d];
                        }
                    }
                    double ms = 0;
                    for (int e = 0; e < DV; e++) {
                        ms += o[e] * o[e] / DV;
                    }
                    double inv = 1 / Math.sqrt(ms + EPS);
                    for (int e = 0; e < DV; e++) {
                        double gated = o[e] * inv * in[6][e] * silu(z[t][h * DV + e]);
                        for (int c = 0; c < HIDDEN; c++) {
                            y[(b * STEPS + t) * HIDDEN + c] += in[7][c * VALUE_HEADS * DV + h * DV + e] * gated;
                        }
                    }
                }
            }
        }
        return y;
    }

    @Test
    void mixerMatchesDoubleTwin() {
        GatedDeltaNetConfig config = config();
        GradCheck.of("gatedDeltaNet").seed(9).forwardTolerance(1e-5).gradTolerance(1e-3).check(t -> {
            Map<String, Tensor> byName = new HashMap<>();
            String[] names = {"in_proj_qkvz.weight", "in_proj_ba.weight", "conv1d.weight", "dt_bias", "A_log",
                "norm.weight", "out_proj.weight"};
            for (int i = 0; i < names.length; i++) {
                byName.put(names[i], t[i + 1]);
            }
            GatedDeltaNet mixer = GatedDeltaNet.load(config, HIDDEN, Params.loaded(new WeightSource() {
                @Override
                public Tensor apply(String name, int... shape) {
                    return byName.get(name);
                }

                @Override
                public boolean has(String name) {
                    return byName.containsKey(name);
                }
            }, ""));
            return mixer.forward(t[0], null).output();
        }, GatedDeltaNetGradTest::twin, in(-1.5, 1.5, BATCH, STEPS, HIDDEN),
                in(-0.6, 0.6, KEY_HEADS * PER_KEY_HEAD, HIDDEN), in(-0.6, 0.6, 2 * VALUE_HEADS, HIDDEN),
                in(-0.6, 0.6, CHANNELS, 1, KERNEL), in(-1.0, 1.0, VALUE_HEADS), in(-1.0, 1.0, VALUE_HEADS),
                in(0.5, 1.5, DV), in(-0.5, 0.5, HIDDEN, VALUE_HEADS * DV));
    }
}
