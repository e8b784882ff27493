package dev.recur.layers.ssm.s4d;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reductions;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S4D's hand-written backward passes (discretisation, Vandermonde kernel, FFT convolution) and the whole
 * convolution-mode layer, each against central differences of a double-precision twin.
 */
class S4dGradTest {
    private static GradCheck.Input logDtRange(int h) {
        return in(-4.0, -0.5, h);
    }

    @Test
    void discretizationMatchesClosedFormsAndFiniteDifferences() {
        int h = 3;
        int m = 5;
        for (Discretization method : Discretization.values()) {
            GradCheck.of("s4d_discretize " + method).check(
                    x -> Reshaping.concat(0, S4dDiscretize.apply(method, x[0], x[1], x[2], x[3], x[4])),
                    d -> flatten(S4dTwin.discretize(method, h, m, d[0], d[1], d[2], d[3], d[4])),
                    logDtRange(h), in(-2.0, 1.0, h, m), in(-20.0, 20.0, h, m), in(h, m), in(h, m));
        }
    }

    @Test
    void vandermondeMatchesPowersAndFiniteDifferences() {
        int h = 2;
        int m = 3;
        for (int[] gl : new int[][] {{0, 1}, {0, 17}, {2, 9}}) {
            int groups = gl[0];
            int length = gl[1];
            int[] wShape = groups == 0 ? new int[] {h, m} : new int[] {groups, h, m};
            GradCheck.of("s4d_vandermonde G=" + groups + " L=" + length).check(
                    x -> Vandermonde.apply(x[0], x[1], x[2], x[3], length),
                    d -> vandermondeTwin(d[0], d[1], d[2], d[3], Math.max(groups, 1), h, m, length),
                    in(wShape), in(wShape), in(-0.95, 0.95, h, m), in(-0.3, 0.3, h, m));
        }
    }

    @Test
    void fftConvolutionMatchesTheDirectSumOnAwkwardLengths() {
        for (int[] s : new int[][] {{2, 1, 3, 1}, {1, 63, 2, 63}, {1, 257, 1, 257}, {2, 7, 5, 12}, {3, 5, 2, 5}}) {
            int batch = s[0];
            int steps = s[1];
            int channels = s[2];
            int taps = s[3];
            GradCheck.of("s4d_fft_conv " + Arrays.toString(s)).check(
                    x -> FftConvolution.causal(x[0], x[1]),
                    d -> convTwin(d[0], d[1], batch, steps, channels, taps),
                    in(batch, steps, channels), in(channels, taps));
        }
    }

    @Test
    void convolutionModeLayerMatchesTheRecurrenceTwinAndFiniteDifferences() {
        int batch = 2;
        int steps = 9;
        int h = 3;
        int m = 4;
        for (Discretization method : Discretization.values()) {
            S4dConfig config = new S4dConfig(h, 2 * m, S4dInit.LIN, method, 0.01, 0.1);
            GradCheck.of("s4d forward " + method).gradTolerance(3e-4).check(x -> {
                Map<String, Tensor> p = new LinkedHashMap<>();
                p.put("log_dt", x[1]);
                p.put("log_neg_a_real", x[2]);
                p.put("a_imag", x[3]);
                p.put("c_real", x[4]);
                p.put("c_imag", x[5]);
                p.put("d", x[6]);
                S4dLayer layer = new S4dLayer(config, p, x[7], x[8]);
                return layer.forward(x[0], new S4dState(x[9], x[10])).output();
            }, d -> Arrays.copyOf(S4dTwin.run(method, batch, steps, h, m, d[0], d[1], d[2], d[3], d[4], d[5], d[6],
                    d[7], d[8], d[9], d[10]), batch * steps * h),
                    in(batch, steps, h), logDtRange(h), in(-2.0, 0.5, h, m), in(-6.0, 6.0, h, m), in(h, m), in(h, m),
                    in(h), in(h, m).constant(), in(h, m).constant(), in(batch, h, m), in(batch, h, m));
        }
    }

    @Test
    void finalStateOfTheConvolutionModeMatchesTheTwinAndFiniteDifferences() {
        int batch = 2;
        int steps = 11;
        int h = 2;
        int m = 3;
        S4dConfig config = new S4dConfig(h, 2 * m, S4dInit.LIN, Discretization.ZOH, 0.01, 0.1);
        GradCheck.of("s4d forward final state").gradTolerance(3e-4).check(x -> {
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("log_dt", x[1]);
            p.put("log_neg_a_real", x[2]);
            p.put("a_imag", x[3]);
            p.put("c_real", x[4]);
            p.put("c_imag", x[5]);
            p.put("d", x[6]);
            S4dLayer layer = new S4dLayer(config, p, x[7], x[8]);
            S4dOutput out = layer.forward(x[0], new S4dState(x[9], x[10]));
            return Reshaping.concat(0, Reshaping.reshape(out.output(), -1), Reshaping.reshape(out.state().re(), -1),
                    Reshaping.reshape(out.state().im(), -1));
        }, d -> S4dTwin.run(Discretization.ZOH, batch, steps, h, m, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7],
                d[8], d[9], d[10]),
                in(batch, steps, h), logDtRange(h), in(-2.0, 0.5, h, m), in(-6.0, 6.0, h, m), in(h, m), in(h, m),
                in(h), in(h, m), in(h, m), in(batch, h, m), in(batch, h, m));
    }

    @Test
    void gradientsCrossChunkBoundariesThroughTheCarriedState() {
        S4dLayer layer = new S4dLayer(new S4dConfig(3, 8, S4dInit.LEGS, Discretization.BILINEAR, 0.001, 0.1),
                new Rng(41));
        Tensor u = Tensor.randn(new Rng(42), 1f, 2, 40, 3);
        Tensor weights = Tensor.randn(new Rng(43), 1f, 2, 40, 3);
        Reductions.sum(Arithmetic.mul(layer.forward(u, layer.initialState(2)).output(), weights)).backward();
        Map<String, float[]> whole = new LinkedHashMap<>();
        layer.parameters().forEach((name, t) -> {
            whole.put(name, t.grad().data().clone());
            t.zeroGrad();
        });
        S4dOutput first = layer.forward(Reshaping.slice(u, 1, 0, 13), layer.initialState(2));
        S4dOutput second = layer.forward(Reshaping.slice(u, 1, 13, 40), first.state());
        Tensor joined = Reshaping.concat(1, first.output(), second.output());
        Reductions.sum(Arithmetic.mul(joined, weights)).backward();
        layer.parameters().forEach((name, t) -> {
            double[] ref = new double[whole.get(name).length];
            for (int i = 0; i < ref.length; i++) {
                ref[i] = whole.get(name)[i];
            }
            assertThat(GradCheck.relativeError(t.grad().data(), ref)).as(name)
                    .isLessThan(1e-4);
        });
    }

    @Test
    void recurrentModeStepIsDifferentiableThroughTheState() {
        int batch = 2;
        int steps = 4;
        int h = 2;
        int m = 3;
        S4dConfig config = new S4dConfig(h, 2 * m, S4dInit.LIN, Discretization.ZOH, 0.01, 0.1);
        GradCheck.of("s4d step loop").check(x -> {
            Map<String, Tensor> p = new LinkedHashMap<>();
            p.put("log_dt", x[1]);
            p.put("log_neg_a_real", x[2]);
            p.put("a_imag", x[3]);
            p.put("c_real", x[4]);
            p.put("c_imag", x[5]);
            p.put("d", x[6]);
            S4dLayer layer = new S4dLayer(config, p, x[7], x[8]);
            S4dState state = new S4dState(x[9], x[10]);
            Tensor[] ys = new Tensor[steps];
            for (int t = 0; t < steps; t++) {
                S4dOutput o = layer.step(Reshaping.squeeze(Reshaping.slice(x[0], 1, t, t + 1), 1), state);
                ys[t] = Reshaping.unsqueeze(o.output(), 1);
                state = o.state();
            }
            return Reshaping.concat(1, ys);
        }, d -> Arrays.copyOf(S4dTwin.run(Discretization.ZOH, batch, steps, h, m, d[0], d[1], d[2], d[3], d[4],
                d[5], d[6], d[7], d[8], d[9], d[10]), batch * steps * h),
                in(batch, steps, h), logDtRange(h), in(-2.0, 0.5, h, m), in(-6.0, 6.0, h, m), in(h, m), in(h, m),
                in(h), in(h, m).constant(), in(h, m).constant(), in(batch, h, m), in(batch, h, m));
    }

    @Test
    void badShapesNameTheOpTheExpectedAndTheGot() {
        assertThatThrownBy(() -> FftConvolution.causal(Tensor.zeros(1, 8, 2), Tensor.zeros(2, 5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("s4d_fft_conv")
                .hasMessageContaining("[2, >= 8]").hasMessageContaining("[2, 5]");
        assertThatThrownBy(() -> Vandermonde.apply(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2, 4),
                Tensor.zeros(2, 4), 5)).isInstanceOf(RecurException.class).hasMessageContaining("s4d_vandermonde");
        S4dLayer layer = new S4dLayer(S4dConfig.of(3, 4), new Rng(1));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(1, 5, 2), layer.initialState(1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("S4dLayer.forward")
                .hasMessageContaining("[B, T>0, 3]").hasMessageContaining("[1, 5, 2]");
        assertThatThrownBy(() -> layer.step(Tensor.zeros(2, 3), layer.initialState(1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("S4dLayer.step");
    }

    private static double[] flatten(double[][] parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** {@code 2 Re(sum_m w z^l)} with the powers by {@code Math.pow} in polar form. */
    static double[] vandermondeTwin(double[] wr, double[] wi, double[] zr, double[] zi, int groups, int h, int m,
                                    int length) {
        double[] y = new double[groups * h * length];
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < h; c++) {
                for (int n = 0; n < m; n++) {
                    int iz = c * m + n;
                    int iw = (g * h + c) * m + n;
                    double r = Math.hypot(zr[iz], zi[iz]);
                    double phi = Math.atan2(zi[iz], zr[iz]);
                    for (int l = 0; l < length; l++) {
                        double pr = Math.pow(r, l) * Math.cos(phi * l);
                        double pi = Math.pow(r, l) * Math.sin(phi * l);
                        y[(g * h + c) * length + l] += 2 * (wr[iw] * pr - wi[iw] * pi);
                    }
                }
            }
        }
        return y;
    }

    static double[] convTwin(double[] x, double[] k, int batch, int steps, int channels, int taps) {
        double[] y = new double[batch * steps * channels];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int c = 0; c < channels; c++) {
                    double s = 0;
                    for (int j = 0; j <= t; j++) {
                        s += k[c * taps + t - j] * x[(b * steps + j) * channels + c];
                    }
                    y[(b * steps + t) * channels + c] = s;
                }
            }
        }
        return y;
    }
}
