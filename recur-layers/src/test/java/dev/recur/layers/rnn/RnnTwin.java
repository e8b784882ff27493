package dev.recur.layers.rnn;

/**
 * A double-precision twin of a whole RNN/LSTM/GRU stack, written from PyTorch's documented equations with plain
 * loops, batch-first throughout: the ground truth for the finite-difference gradient checks. It covers the cell
 * variants of ONNX's operators ({@link CellVariantTwin}), the LSTM's projection ({@code h = W_hr (o tanh(c))}) and
 * variable lengths as PyTorch's packed sequences define them: a row takes steps only at positions before its length
 * (so the reverse direction starts at its last valid step), its output is zero elsewhere, and its final state is
 * the state after its last step.
 */
final class RnnTwin {
    /** y [B, T, dirs*S], hN [L*dirs, B, S], cN [L*dirs, B, H] (LSTM) or null. */
    record Result(double[] y, double[] hN, double[] cN) {}

    private RnnTwin() {}

    /**
     * @param params  per layer and direction: weight_ih [G*H, I_l], weight_hh [G*H, S], then (with biases)
     *                bias_ih, bias_hh, then (with a projection) weight_hr [P, H] or (with peepholes) peephole [3H]
     * @param masks   per layer, a [B, T, dirs*S] inverted-dropout mask applied to its output, or null
     * @param lengths [B] valid steps per row, or null for all
     */
    static Result run(RnnConfig cfg, double[] x, int batch, int steps, double[] h0, double[] c0,
                      double[][] params, double[][] masks, int[] lengths) {
        int hidden = cfg.hiddenSize();
        int state = cfg.stateSize();
        int dirs = cfg.directions();
        int width = dirs * state;
        double[] in = x;
        int inSize = cfg.inputSize();
        double[] hN = new double[cfg.stateRows() * batch * state];
        double[] cN = cfg.cell().hasCellState() ? new double[cfg.stateRows() * batch * hidden] : null;
        int per = cfg.parametersPerDirection();
        for (int l = 0; l < cfg.numLayers(); l++) {
            double[] out = new double[batch * steps * width];
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                double[] wih = params[idx * per];
                double[] whh = params[idx * per + 1];
                double[] bih = cfg.bias() ? params[idx * per + 2] : null;
                double[] bhh = cfg.bias() ? params[idx * per + 3] : null;
                double[] whr = cfg.projSize() > 0 ? params[idx * per + per - 1] : null;
                double[] peephole = cfg.variant().peepholes() ? params[idx * per + per - 1] : null;
                for (int b = 0; b < batch; b++) {
                    double[] h = new double[state];
                    double[] c = new double[hidden];
                    for (int j = 0; j < state; j++) {
                        h[j] = h0 == null ? 0 : h0[(idx * batch + b) * state + j];
                    }
                    for (int j = 0; j < hidden; j++) {
                        c[j] = c0 == null ? 0 : c0[(idx * batch + b) * hidden + j];
                    }
                    for (int s = 0; s < steps; s++) {
                        int t = d == 1 ? steps - 1 - s : s;
                        if (lengths != null && t >= lengths[b]) {
                            continue;
                        }
                        double[] xt = new double[inSize];
                        System.arraycopy(in, (b * steps + t) * inSize, xt, 0, inSize);
                        double[] a = affine(wih, xt, bih, inSize);
                        double[] u = affine(whh, h, bhh, state);
                        double[] next = new double[hidden];
                        if (cfg.variant().isNone()) {
                            for (int j = 0; j < hidden; j++) {
                                next[j] = cell(cfg.cell(), a, u, hidden, j, h, c);
                            }
                        } else {
                            next = CellVariantTwin.step(cfg, d, a, u, whh, bhh, peephole, h, c);
                        }
                        h = whr == null ? next : affine(whr, next, null, hidden);
                        System.arraycopy(h, 0, out, (b * steps + t) * width + d * state, state);
                    }
                    System.arraycopy(h, 0, hN, (idx * batch + b) * state, state);
                    if (cN != null) {
                        System.arraycopy(c, 0, cN, (idx * batch + b) * hidden, hidden);
                    }
                }
            }
            if (masks != null && masks[l] != null) {
                for (int k = 0; k < out.length; k++) {
                    out[k] *= masks[l][k];
                }
            }
            in = out;
            inSize = width;
        }
        return new Result(in, hN, cN);
    }

    /** Unit {@code j}'s new hidden value (before any projection); updates the LSTM's {@code c[j]} in place. */
    private static double cell(CellType type, double[] a, double[] u, int hidden, int j, double[] h, double[] c) {
        switch (type) {
            case LSTM: {
                double i = sig(a[j] + u[j]);
                double f = sig(a[hidden + j] + u[hidden + j]);
                double g = Math.tanh(a[2 * hidden + j] + u[2 * hidden + j]);
                double o = sig(a[3 * hidden + j] + u[3 * hidden + j]);
                c[j] = f * c[j] + i * g;
                return o * Math.tanh(c[j]);
            }
            case GRU: {
                double r = sig(a[j] + u[j]);
                double z = sig(a[hidden + j] + u[hidden + j]);
                double n = Math.tanh(a[2 * hidden + j] + r * u[2 * hidden + j]);
                return (1 - z) * n + z * h[j];
            }
            case RNN_TANH:
                return Math.tanh(a[j] + u[j]);
            default:
                return Math.max(0, a[j] + u[j]);
        }
    }

    static double[] affine(double[] w, double[] v, double[] bias, int cols) {
        double[] out = new double[w.length / cols];
        for (int r = 0; r < out.length; r++) {
            double s = bias == null ? 0 : bias[r];
            for (int k = 0; k < cols; k++) {
                s += w[r * cols + k] * v[k];
            }
            out[r] = s;
        }
        return out;
    }

    private static double sig(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** {@code src [a, b, d] -> [b, a, d]}. */
    static double[] transpose(double[] src, int a, int b, int d) {
        double[] dst = new double[src.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(src, (i * b + j) * d, dst, (j * a + i) * d, d);
            }
        }
        return dst;
    }
}
