package dev.recur.layers.ssm.mamba2;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.scan.ssd.SsdChunked;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole mixer (projection with bias, causal convolution from a carried state, SSD scan from a carried state
 * with two groups of B and C, clamped step sizes, gated RMSNorm, output projection) against a double-precision
 * sequential twin written from transformers' equations, and its gradients against central differences of that
 * twin, for every input and parameter. The output checked is the mixer's output followed by its new SSM and
 * convolution states.
 */
class Mamba2MixerGradTest {
    private static final int BATCH = 2;
    private static final int STEPS = 5;
    private static final int HIDDEN = 3;
    private static final int HEADS = 2;
    private static final int HEAD_DIM = 2;
    private static final int INNER = HEADS * HEAD_DIM;
    private static final int STATE = 3;
    private static final int GROUPS = 2;
    private static final int KERNEL = 3;
    private static final int CONV = INNER + 2 * GROUPS * STATE;
    private static final int PROJ = INNER + CONV + HEADS;
    private static final float EPS = 1e-5f;

    @ParameterizedTest(name = "dt limit [{0}, {1}], chunk {2}")
    @CsvSource({"0.0, Infinity, 2", "0.05, 0.4, 2", "0.0, Infinity, 64"})
    void matchesDoubleTwin(double dtMin, double dtMax, int chunk) {
        Mamba2Config config = new Mamba2Config(11, HIDDEN, 1, HEADS, HEAD_DIM, STATE, GROUPS, INNER, KERNEL, chunk,
                EPS, true, true, "silu", dtMin, dtMax, false);
        GradCheck.of("mamba2 mixer").forwardTolerance(1e-4).gradTolerance(2e-3).check(t -> {
            Mamba2Mixer mixer = new Mamba2Mixer(config, t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11],
                    t[12], new SsdChunked(chunk));
            Mamba2Mixer.Result r = mixer.forward(t[0], t[1], t[2]);
            return Reshaping.concat(0, flat(r.output()), flat(r.ssmState()), flat(r.convState()));
        }, d -> twin(d, dtMin, dtMax),
                in(BATCH, STEPS, HIDDEN), in(BATCH, KERNEL - 1, CONV), in(BATCH, HEADS, HEAD_DIM, STATE),
                in(-0.6, 0.6, PROJ, HIDDEN), in(-0.2, 0.2, PROJ), in(-0.5, 0.5, CONV, 1, KERNEL),
                in(-0.2, 0.2, CONV), in(-3.0, 0.0, HEADS), in(0.0, 2.0, HEADS), in(0.5, 1.5, HEADS),
                in(0.7, 1.3, INNER), in(-0.6, 0.6, HIDDEN, INNER), in(-0.2, 0.2, HIDDEN));
    }

    private static Tensor flat(Tensor t) {
        return Reshaping.reshape(t, t.size());
    }

    /** transformers' mixer in plain loops and double precision, one batch entry and time step at a time. */
    private static double[] twin(double[][] d, double dtMin, double dtMax) {
        double[] u = d[0];
        double[] convState = d[1];
        double[] ssm0 = d[2];
        double[] inW = d[3];
        double[] inB = d[4];
        double[] convW = d[5];
        double[] convB = d[6];
        double[] dtBias = d[7];
        double[] aLog = d[8];
        double[] dSkip = d[9];
        double[] normW = d[10];
        double[] outW = d[11];
        double[] outB = d[12];
        double[] out = new double[BATCH * STEPS * HIDDEN];
        double[] ssmOut = new double[BATCH * HEADS * HEAD_DIM * STATE];
        double[] convOut = new double[BATCH * (KERNEL - 1) * CONV];
        int padded = KERNEL - 1 + STEPS;
        for (int b = 0; b < BATCH; b++) {
            double[][] proj = new double[STEPS][PROJ];
            for (int t = 0; t < STEPS; t++) {
                for (int o = 0; o < PROJ; o++) {
                    double s = inB[o];
                    for (int i = 0; i < HIDDEN; i++) {
                        s += u[(b * STEPS + t) * HIDDEN + i] * inW[o * HIDDEN + i];
                    }
                    proj[t][o] = s;
                }
            }
            double[][] xpad = new double[padded][CONV];
            for (int j = 0; j < KERNEL - 1; j++) {
                for (int c = 0; c < CONV; c++) {
                    xpad[j][c] = convState[(b * (KERNEL - 1) + j) * CONV + c];
                }
            }
            for (int t = 0; t < STEPS; t++) {
                System.arraycopy(proj[t], INNER, xpad[KERNEL - 1 + t], 0, CONV);
            }
            for (int j = 0; j < KERNEL - 1; j++) {
                for (int c = 0; c < CONV; c++) {
                    convOut[(b * (KERNEL - 1) + j) * CONV + c] = xpad[STEPS + j][c];
                }
            }
            double[][][] s = new double[HEADS][HEAD_DIM][STATE];
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < HEAD_DIM; p++) {
                    for (int n = 0; n < STATE; n++) {
                        s[h][p][n] = ssm0[((b * HEADS + h) * HEAD_DIM + p) * STATE + n];
                    }
                }
            }
            for (int t = 0; t < STEPS; t++) {
                double[] act = new double[CONV];
                for (int c = 0; c < CONV; c++) {
                    double v = convB[c];
                    for (int j = 0; j < KERNEL; j++) {
                        v += convW[c * KERNEL + j] * xpad[t + j][c];
                    }
                    act[c] = silu(v);
                }
                double[] y = new double[INNER];
                for (int h = 0; h < HEADS; h++) {
                    int g = h / (HEADS / GROUPS);
                    double dt = softplus(proj[t][INNER + CONV + h] + dtBias[h]);
                    dt = Math.min(Math.max(dt, dtMin), dtMax);
                    double decay = Math.exp(-Math.exp(aLog[h]) * dt);
                    for (int p = 0; p < HEAD_DIM; p++) {
                        double x = act[h * HEAD_DIM + p];
                        double acc = dSkip[h] * x;
                        for (int n = 0; n < STATE; n++) {
                            double bn = act[INNER + g * STATE + n];
                            double cn = act[INNER + GROUPS * STATE + g * STATE + n];
                            s[h][p][n] = decay * s[h][p][n] + dt * x * bn;
                            acc += s[h][p][n] * cn;
                        }
                        y[h * HEAD_DIM + p] = acc;
                    }
                }
                double meanSquare = 0;
                for (int i = 0; i < INNER; i++) {
                    y[i] *= silu(proj[t][i]);
                    meanSquare += y[i] * y[i] / INNER;
                }
                double rstd = 1 / Math.sqrt(meanSquare + EPS);
                for (int o = 0; o < HIDDEN; o++) {
                    double v = outB[o];
                    for (int i = 0; i < INNER; i++) {
                        v += normW[i] * y[i] * rstd * outW[o * INNER + i];
                    }
                    out[(b * STEPS + t) * HIDDEN + o] = v;
                }
            }
            for (int h = 0; h < HEADS; h++) {
                for (int p = 0; p < HEAD_DIM; p++) {
                    for (int n = 0; n < STATE; n++) {
                        ssmOut[((b * HEADS + h) * HEAD_DIM + p) * STATE + n] = s[h][p][n];
                    }
                }
            }
        }
        double[] all = new double[out.length + ssmOut.length + convOut.length];
        System.arraycopy(out, 0, all, 0, out.length);
        System.arraycopy(ssmOut, 0, all, out.length, ssmOut.length);
        System.arraycopy(convOut, 0, all, out.length + ssmOut.length, convOut.length);
        return all;
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    private static double softplus(double v) {
        return v > 20 ? v : Math.log1p(Math.exp(v));
    }
}
