package dev.recur.core.scan.gla;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.RecurException;
import dev.recur.core.kernel.KernelMode;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * HGRN-2's recurrence (Qin, Yang, Sun, Shen, Li, Sun and Zhong 2024, "HGRN2: Gated Linear RNNs with State
 * Expansion"): per batch entry and head, with a forget gate {@code f_t in (0, 1)^K}, an input {@code i_t} and an
 * output gate {@code g_t},
 * <pre>
 *   S_t = diag(f_t) S_{t-1} + (1 - f_t) i_t^T
 *   o_t = S_t^T (scale * g_t)
 * </pre>
 * This is exactly {@link Gla} with query {@code g_t}, key {@code 1 - f_t}, value {@code i_t} and log-decay
 * {@code log f_t}, and runs on GLA's kernels: the op forms the key {@code 1 - f_t = -expm1(log f_t)} (exact
 * for forget gates near one) from the log forget gate and records that step on the graph, so the gradient of
 * {@code log f} collects both uses. The paper's per-layer lower bound {@code lambda} enters through the forget
 * gate, {@code f_t = lambda + (1 - lambda) sigmoid(x_t)}: {@link #logForget} computes its logarithm. The paper
 * applies no scale (1); fla's HGRN-2 layer calls its GLA kernel with the default {@code 1 / sqrt(K)}.
 *
 * <p>Shapes, batch-first: {@code outputGate}, {@code logForget} {@code [B, T, H, K]}; {@code input}
 * {@code [B, T, H, V]}; {@code h0} {@code [B, H, K, V]} or null. Returns a {@link ScanOutput}: the output {@code o [B,
 * T, H, V]} and the state {@code hT [B, H, K, V]}.
 */
public final class Hgrn2 {
    private static final String OP = "hgrn2";

    private Hgrn2() {}

    /** The scan with the current mode's kernel. */
    public static ScanOutput apply(Tensor outputGate, Tensor logForget, Tensor input, Tensor h0, float scale) {
        return apply(Gla.kernel(KernelMode.current()), outputGate, logForget, input, h0, scale);
    }

    /** The scan with a given kernel. */
    public static ScanOutput apply(GlaKernel kernel, Tensor outputGate, Tensor logForget, Tensor input, Tensor h0,
                                 float scale) {
        Tensor key = oneMinusForget(OP, outputGate, logForget);
        return ScanOutput.of(Gla.scan(OP, kernel, outputGate, key, input, logForget, h0, scale));
    }

    /**
     * One token: {@code outputGate}, {@code logForget} {@code [B, H, K]}, {@code input [B, H, V]},
     * {@code state [B, H, K, V]}. Returns a {@link ScanOutput}: the output {@code o [B, H, V]} and the state {@code
     * newState}.
     */
    public static ScanOutput step(Tensor outputGate, Tensor logForget, Tensor input, Tensor state, float scale) {
        Tensor key = oneMinusForget(OP + ".step", outputGate, logForget);
        return ScanOutput.of(Gla.stepOf(OP + ".step", outputGate, key, input, logForget, state, scale));
    }

    /**
     * The log of the lower-bounded forget gate {@code log(lambda + (1 - lambda) sigmoid(x))}, elementwise and
     * differentiable, for {@code 0 <= lambda < 1}.
     */
    public static Tensor logForget(Tensor x, float lowerBound) {
        String op = OP + ".logForget";
        if (!(lowerBound >= 0f && lowerBound < 1f)) {
            throw new RecurException(op + ": lower bound must be in [0, 1), got " + lowerBound);
        }
        float[] in = x.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            // log(lambda + (1 - lambda) s) with s = sigmoid(x); for lambda = 0 it is -softplus(-x), exact far out
            out[i] = lowerBound == 0f ? -softplus(-in[i])
                    : (float) Math.log(lowerBound + (1 - lowerBound) * sigmoid(in[i]));
        }
        return Tensor.result(op, out, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx == null) {
                return;
            }
            for (int i = 0; i < in.length; i++) {
                double s = sigmoid(in[i]);
                // d/dx log f = (1 - lambda) s (1 - s) / f, with f = exp(out)
                gx[i] += (float) (g[i] * (1 - lowerBound) * s * (1 - s) / Math.exp(out[i]));
            }
        }, x);
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static float softplus(double x) {
        return (float) (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
    }

    /** {@code 1 - exp(logForget)}, elementwise, recorded with its derivative {@code -exp(logForget)}. */
    private static Tensor oneMinusForget(String op, Tensor outputGate, Tensor logForget) {
        Shapes.require(op, "logForget (same as outputGate)", Gla.require(op, "outputGate", outputGate).shape(),
                Gla.require(op, "logForget", logForget).shape());
        float[] lf = logForget.data();
        float[] key = new float[lf.length];
        for (int i = 0; i < lf.length; i++) {
            key[i] = (float) -Math.expm1(lf[i]);
        }
        return Tensor.result(OP + ".key", key, logForget.shape(), g -> {
            float[] gl = logForget.gradBuffer();
            if (gl == null) {
                return;
            }
            for (int i = 0; i < lf.length; i++) {
                gl[i] -= g[i] * (float) Math.exp(lf[i]);
            }
        }, logForget);
    }
}
