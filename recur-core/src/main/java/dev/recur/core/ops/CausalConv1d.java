package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Causal depthwise convolution over time, as used before the scan in Mamba-style blocks, with its carried state.
 *
 * <p>For {@code x [B, T, C]}, {@code weight [C, K]}, {@code bias [C]} (nullable) and {@code state [B, K-1, C]}
 * (the last K-1 inputs of the previous chunk; zeros when null), with {@code xpad = concat(state, x)} along time:
 * {@code y[b, t, c] = bias[c] + sum_j weight[c, j] * xpad[b, t + j, c]} (a cross-correlation), which equals
 * PyTorch's {@code nn.Conv1d(C, C, K, groups=C, padding=K-1)(x.transpose(1, 2))[..., :T]} when the state is
 * zero. The new state is the last K-1 rows of {@code xpad}, so a sequence fed in chunks, passing the state
 * across, gives the same output as in one piece. Gradients reach x, weight, bias and the incoming state,
 * from both the output and the new state.
 */
public final class CausalConv1d {
    /** The output {@code [B, T, C]} (or {@code [B, C]} for a step) and the new state {@code [B, K-1, C]}. */
    public record Result(Tensor output, Tensor state) {}

    private CausalConv1d() {}

    /** Convolves a whole chunk {@code x [B, T, C]}; {@code bias} and {@code state} may be null. */
    public static Result forward(Tensor x, Tensor weight, Tensor bias, Tensor state) {
        if (x.rank() != 3) {
            throw new RecurException("causalConv1d: expected x [B, T, C], got shape " + Shapes.format(x.shape()));
        }
        return run("causalConv1d", x, x.dim(0), x.dim(1), x.dim(2), x.shape(), weight, bias, state);
    }

    /** One token {@code x [B, C]} -> output {@code [B, C]}; equals {@link #forward} with T = 1. */
    public static Result step(Tensor x, Tensor weight, Tensor bias, Tensor state) {
        if (x.rank() != 2) {
            throw new RecurException("causalConv1d.step: expected x [B, C], got shape " + Shapes.format(x.shape()));
        }
        return run("causalConv1d.step", x, x.dim(0), 1, x.dim(1), x.shape(), weight, bias, state);
    }

    /** Zero state for a batch: {@code [batch, K-1, C]}. */
    public static Tensor initialState(int batch, Tensor weight) {
        if (weight.rank() != 2 || weight.dim(1) < 1) {
            throw new RecurException("causalConv1d: expected weight [C, K] with K >= 1, got shape "
                    + Shapes.format(weight.shape()));
        }
        return Tensor.zeros(batch, weight.dim(1) - 1, weight.dim(0));
    }

    private static Result run(String op, Tensor x, int nb, int nt, int nc, int[] outShape, Tensor weight,
                              Tensor bias, Tensor state) {
        if (weight.rank() != 2 || weight.dim(0) != nc || weight.dim(1) < 1) {
            throw new RecurException(op + ": expected weight [" + nc + ", K] with K >= 1 for x "
                    + Shapes.format(x.shape()) + ", got shape " + Shapes.format(weight.shape()));
        }
        int nk = weight.dim(1);
        if (bias != null) {
            Shapes.require(op, "bias", new int[] {nc}, bias.shape());
        }
        int[] stateShape = {nb, nk - 1, nc};
        if (state != null) {
            Shapes.require(op, "state", stateShape, state.shape());
        }
        int np = nk - 1 + nt;
        float[] xpad = pad(x.data(), state == null ? null : state.data(), nb, nt, nc, nk); // [B, K-1+T, C]
        float[] w = weight.data(); // [C, K]
        float[] wt = CausalConv1dLoops.transpose(w, nc, nk); // [K, C]
        float[] bi = bias == null ? null : bias.data(); // [C]
        float[] y = new float[nb * nt * nc]; // [B, T, C]
        CausalConv1dLoops.forward(xpad, wt, bi, y, nb, nt, nc, nk);
        float[] newState = new float[nb * (nk - 1) * nc]; // [B, K-1, C]
        for (int b = 0; b < nb; b++) {
            System.arraycopy(xpad, (b * np + nt) * nc, newState, b * (nk - 1) * nc, (nk - 1) * nc);
        }
        Tensor[] outs = Tensor.results(op, new float[][] {y, newState}, new int[][] {outShape, stateShape}, g -> {
            float[] dy = g[0];
            float[] dState = g[1];
            float[] gw = weight.gradBuffer();
            if (gw != null) {
                float[] gwt = CausalConv1dLoops.transpose(gw, nc, nk);
                CausalConv1dLoops.weightGrad(dy, xpad, gwt, nb, nt, nc, nk);
                CausalConv1dLoops.untranspose(gwt, gw, nc, nk);
            }
            float[] gb = bias == null ? null : bias.gradBuffer();
            if (gb != null) {
                CausalConv1dLoops.biasGrad(dy, gb, nb * nt, nc);
            }
            float[] gx = x.gradBuffer();
            float[] gs = state == null ? null : state.gradBuffer();
            if (gx == null && gs == null) {
                return;
            }
            float[] dpad = new float[xpad.length]; // [B, K-1+T, C]
            CausalConv1dLoops.inputGrad(dy, wt, dpad, nb, nt, nc, nk);
            for (int b = 0; b < nb; b++) {
                int so = b * (nk - 1) * nc;
                int po = (b * np + nt) * nc;
                for (int i = 0; i < (nk - 1) * nc; i++) {
                    dpad[po + i] += dState[so + i];
                }
            }
            for (int b = 0; b < nb; b++) {
                int po = b * np * nc;
                if (gs != null) {
                    int so = b * (nk - 1) * nc;
                    for (int i = 0; i < (nk - 1) * nc; i++) {
                        gs[so + i] += dpad[po + i];
                    }
                }
                if (gx != null) {
                    int xo = b * nt * nc;
                    int from = po + (nk - 1) * nc;
                    for (int i = 0; i < nt * nc; i++) {
                        gx[xo + i] += dpad[from + i];
                    }
                }
            }
        }, inputs(x, weight, bias, state));
        return new Result(outs[0], outs[1]);
    }

    /** {@code concat(state or zeros, x)} along time: {@code [B, K-1+T, C]}. */
    private static float[] pad(float[] x, float[] state, int nb, int nt, int nc, int nk) {
        int np = nk - 1 + nt;
        float[] xpad = new float[nb * np * nc];
        for (int b = 0; b < nb; b++) {
            if (state != null) {
                System.arraycopy(state, b * (nk - 1) * nc, xpad, b * np * nc, (nk - 1) * nc);
            }
            System.arraycopy(x, b * nt * nc, xpad, (b * np + nk - 1) * nc, nt * nc);
        }
        return xpad;
    }

    private static Tensor[] inputs(Tensor... candidates) {
        List<Tensor> list = new ArrayList<>(candidates.length);
        for (Tensor t : candidates) {
            if (t != null) {
                list.add(t);
            }
        }
        return list.toArray(new Tensor[0]);
    }
}
