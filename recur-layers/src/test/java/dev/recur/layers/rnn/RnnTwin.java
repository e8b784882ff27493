package dev.recur.layers.rnn;

/**
 * A double-precision twin of a whole RNN/LSTM/GRU stack, written from PyTorch's documented equations with plain
 * loops, batch-first throughout: the ground truth for the finite-difference gradient checks.
 */
final class RnnTwin {
    /** y [B, T, dirs*H], hN [L*dirs, B, H], cN (LSTM) or null. */
    record Result(double[] y, double[] hN, double[] cN) {}

    private RnnTwin() {}

    /**
     * @param params per layer and direction: weight_ih [G*H, I_l], weight_hh [G*H, H], then (with biases)
     *               bias_ih, bias_hh
     * @param masks  per layer, a [B, T, dirs*H] inverted-dropout mask applied to its output, or null
     */
    static Result run(RnnConfig cfg, double[] x, int batch, int steps, double[] h0, double[] c0,
                      double[][] params, double[][] masks) {
        int hidden = cfg.hiddenSize();
        int dirs = cfg.directions();
        int width = dirs * hidden;
        double[] in = x;
        int inSize = cfg.inputSize();
        double[] hN = new double[cfg.stateRows() * batch * hidden];
        double[] cN = cfg.cell().hasCellState() ? new double[hN.length] : null;
        int per = cfg.bias() ? 4 : 2;
        for (int l = 0; l < cfg.numLayers(); l++) {
            double[] out = new double[batch * steps * width];
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                double[] wih = params[idx * per];
                double[] whh = params[idx * per + 1];
                double[] bih = cfg.bias() ? params[idx * per + 2] : null;
                double[] bhh = cfg.bias() ? params[idx * per + 3] : null;
                for (int b = 0; b < batch; b++) {
                    double[] h = new double[hidden];
                    double[] c = new double[hidden];
                    for (int j = 0; j < hidden; j++) {
                        h[j] = h0 == null ? 0 : h0[(idx * batch + b) * hidden + j];
                        c[j] = c0 == null ? 0 : c0[(idx * batch + b) * hidden + j];
                    }
                    for (int s = 0; s < steps; s++) {
                        int t = d == 1 ? steps - 1 - s : s;
                        double[] xt = new double[inSize];
                        System.arraycopy(in, (b * steps + t) * inSize, xt, 0, inSize);
                        double[] a = affine(wih, xt, bih, inSize);
                        double[] u = affine(whh, h, bhh, hidden);
                        double[] next = new double[hidden];
                        for (int j = 0; j < hidden; j++) {
                            switch (cfg.cell()) {
                                case LSTM: {
                                    double i = sig(a[j] + u[j]);
                                    double f = sig(a[hidden + j] + u[hidden + j]);
                                    double g = Math.tanh(a[2 * hidden + j] + u[2 * hidden + j]);
                                    double o = sig(a[3 * hidden + j] + u[3 * hidden + j]);
                                    c[j] = f * c[j] + i * g;
                                    next[j] = o * Math.tanh(c[j]);
                                    break;
                                }
                                case GRU: {
                                    double r = sig(a[j] + u[j]);
                                    double z = sig(a[hidden + j] + u[hidden + j]);
                                    double n = Math.tanh(a[2 * hidden + j] + r * u[2 * hidden + j]);
                                    next[j] = (1 - z) * n + z * h[j];
                                    break;
                                }
                                case RNN_TANH:
                                    next[j] = Math.tanh(a[j] + u[j]);
                                    break;
                                default:
                                    next[j] = Math.max(0, a[j] + u[j]);
                            }
                        }
                        h = next;
                        System.arraycopy(h, 0, out, (b * steps + t) * width + d * hidden, hidden);
                    }
                    System.arraycopy(h, 0, hN, (idx * batch + b) * hidden, hidden);
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

    private static double[] affine(double[] w, double[] v, double[] bias, int cols) {
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
}
