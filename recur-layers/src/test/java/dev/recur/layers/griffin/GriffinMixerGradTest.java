package dev.recur.layers.griffin;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.lm.WeightSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Griffin's recurrent block ({@link GriffinMixer}, which the stack kind {@code griffin} and RecurrentGemma's
 * recurrent layers share) against a double-precision twin written from the paper's figure 2: both input
 * projections, the tanh GELU gate branch, the causal depthwise convolution continuing from its carried inputs,
 * the RG-LRU (block-diagonal gates, {@code a = exp(-8 r softplus(lambda))}, {@code sqrt(1 - a^2)} normalisation,
 * reset at position 0) from its carried state, and the output projection. Forward values and central-difference
 * gradients in double for the input, both incoming states and every weight; the RG-LRU's capped square root is
 * the hand-written backward on this path.
 */
class GriffinMixerGradTest {
    private static final int HIDDEN = 3;
    private static final String[] NAMES = {"linear_x.weight", "linear_x.bias", "linear_y.weight", "linear_y.bias",
        "linear_out.weight", "linear_out.bias", "conv_1d.weight", "conv_1d.bias", "rg_lru.recurrent_param",
        "rg_lru.input_gate_weight", "rg_lru.input_gate_bias", "rg_lru.recurrent_gate_weight",
        "rg_lru.recurrent_gate_bias"};

    @ParameterizedTest(name = "B={0} T={1} heads={2} w={3} K={4} start={5}")
    @CsvSource({"2, 5, 2, 2, 3, 0", "1, 4, 1, 3, 2, 6", "1, 1, 2, 2, 4, 0", "2, 3, 3, 1, 2, 2"})
    void blockMatchesDoubleTwin(int batch, int steps, int heads, int w, int k, int start) {
        int l = heads * w;
        GriffinMixerConfig config = new GriffinMixerConfig(l, heads, k, false);
        GradCheck.of("griffin").seed(4).check(t -> {
            Map<String, Tensor> byName = new HashMap<>();
            for (int i = 0; i < NAMES.length; i++) {
                byName.put(NAMES[i], t[i + 3]);
            }
            GriffinMixer mixer = GriffinMixer.load(config, HIDDEN, Params.loaded(new WeightSource() {
                @Override
                public Tensor apply(String name, int... shape) {
                    return byName.get(name);
                }

                @Override
                public boolean has(String name) {
                    return byName.containsKey(name);
                }
            }, ""));
            MixerOutput out = mixer.forward(t[0], MixerState.of(start, new String[] {"conv", "rg_lru"}, t[1], t[2]));
            return Reshaping.concat(1, Reshaping.reshape(out.output(), batch, steps * HIDDEN),
                    out.state().tensors().get("rg_lru"));
        }, d -> twin(d, batch, steps, heads, w, k, start),
                in(-1.5, 1.5, batch, steps, HIDDEN), in(batch, k - 1, l), in(batch, l),
                in(-0.8, 0.8, l, HIDDEN), in(l), in(-0.8, 0.8, l, HIDDEN), in(l), in(-0.8, 0.8, HIDDEN, l),
                in(HIDDEN), in(-0.8, 0.8, l, 1, k), in(l), in(-1.0, 3.0, l), in(heads, w, w), in(heads, w),
                in(heads, w, w), in(heads, w));
    }

    private static double geluTanh(double v) {
        return 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
    }

    /** [B, T*D + L]: every output, then the final RG-LRU state. */
    private static double[] twin(double[][] d, int batch, int steps, int heads, int w, int k, int start) {
        int l = heads * w;
        double[] x = d[0];
        double[] convState = d[1];
        double[] wx = d[3];
        double[] bx = d[4];
        double[] wy = d[5];
        double[] by = d[6];
        double[] wo = d[7];
        double[] bo = d[8];
        double[] cw = d[9];
        double[] cb = d[10];
        double[] lambda = d[11];
        int row = steps * HIDDEN + l;
        double[] out = new double[batch * row];
        for (int b = 0; b < batch; b++) {
            // The convolution's input: the carried K-1 inputs, then this chunk's W_x x + b_x.
            double[][] seq = new double[k - 1 + steps][l];
            double[][] gate = new double[steps][l];
            for (int j = 0; j < k - 1; j++) {
                for (int c = 0; c < l; c++) {
                    seq[j][c] = convState[(b * (k - 1) + j) * l + c];
                }
            }
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < l; c++) {
                    double sx = bx[c];
                    double sy = by[c];
                    for (int i = 0; i < HIDDEN; i++) {
                        double xi = x[(b * steps + t) * HIDDEN + i];
                        sx += wx[c * HIDDEN + i] * xi;
                        sy += wy[c * HIDDEN + i] * xi;
                    }
                    seq[k - 1 + t][c] = sx;
                    gate[t][c] = geluTanh(sy);
                }
            }
            double[] h = Arrays.copyOfRange(d[2], b * l, (b + 1) * l);
            for (int t = 0; t < steps; t++) {
                double[] u = new double[l];
                for (int c = 0; c < l; c++) {
                    u[c] = cb[c];
                    for (int j = 0; j < k; j++) {
                        u[c] += cw[c * k + j] * seq[t + j][c];
                    }
                }
                double[] mixed = new double[l];
                for (int c = 0; c < l; c++) {
                    int block = c / w;
                    int o = c % w;
                    double gi = d[13][block * w + o];
                    double gr = d[15][block * w + o];
                    for (int i = 0; i < w; i++) {
                        double ui = u[block * w + i];
                        gi += ui * d[12][(block * w + i) * w + o];
                        gr += ui * d[14][(block * w + i) * w + o];
                    }
                    double inputGate = 1 / (1 + Math.exp(-gi));
                    double recurrentGate = 1 / (1 + Math.exp(-gr));
                    double logA = -8 * recurrentGate * Math.log1p(Math.exp(lambda[c]));
                    boolean reset = start + t == 0;
                    double a = reset ? 0 : Math.exp(logA);
                    double norm = reset ? 1 : Math.sqrt(1 - Math.exp(2 * logA));
                    mixed[c] = a * h[c] + norm * inputGate * u[c];
                }
                h = mixed;
                for (int o = 0; o < HIDDEN; o++) {
                    double s = bo[o];
                    for (int c = 0; c < l; c++) {
                        s += wo[o * l + c] * h[c] * gate[t][c];
                    }
                    out[b * row + t * HIDDEN + o] = s;
                }
            }
            System.arraycopy(h, 0, out, b * row + steps * HIDDEN, l);
        }
        return out;
    }
}
