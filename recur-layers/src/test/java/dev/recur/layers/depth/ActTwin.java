package dev.recur.layers.depth;

import java.util.Arrays;

/**
 * A double-precision Universal Transformer with ACT written as plain loops, independent of the autograd ops:
 * the ground truth for {@link UniversalTransformer}. Weights come in the order of
 * {@code UniversalTransformer.parameters()}; outputs are the mixed states {@code [B*T*D]}, the ponder costs
 * {@code [B*T]} and the halting counts.
 */
final class ActTwin {
    final double[] output;
    final double[] ponder;
    final int[] counts;

    ActTwin(UniversalTransformerConfig c, int batch, int steps, double[] x, double[][] w) {
        int d = c.width();
        int positions = batch * steps;
        output = new double[positions * d];
        ponder = new double[positions];
        counts = new int[positions];
        double[] state = x.clone();
        double[] cumulative = new double[positions];
        boolean[] running = new boolean[positions];
        Arrays.fill(running, true);
        int active = positions;
        for (int n = 1; n <= c.maxSteps() && active > 0; n++) {
            double[] next = block(c, batch, steps, state, w, n);
            for (int i = 0; i < positions; i++) {
                if (running[i]) {
                    System.arraycopy(next, i * d, state, i * d, d);
                }
            }
            for (int i = 0; i < positions; i++) {
                if (!running[i]) {
                    continue;
                }
                double z = w[11][0];
                for (int k = 0; k < d; k++) {
                    z += w[10][k] * state[i * d + k];
                }
                double p = 1 / (1 + Math.exp(-z));
                counts[i]++;
                double weight;
                if (n == c.maxSteps() || cumulative[i] + p >= 1 - c.epsilon()) {
                    weight = 1 - cumulative[i];
                    ponder[i] = counts[i] + weight;
                    running[i] = false;
                    active--;
                } else {
                    weight = p;
                    cumulative[i] += p;
                }
                for (int k = 0; k < d; k++) {
                    output[i * d + k] += weight * state[i * d + k];
                }
            }
        }
    }

    private static double[] block(UniversalTransformerConfig c, int batch, int steps, double[] s, double[][] w,
                                  int n) {
        int d = c.width();
        int m = c.mlpSize();
        int heads = c.heads();
        int hd = c.headDim();
        double[] u = new double[s.length];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < d / 2; j++) {
                    double rate = Math.pow(10000.0, -2.0 * j / d);
                    int i = (b * steps + t) * d;
                    u[i + 2 * j] = s[i + 2 * j] + Math.sin(t * rate) + Math.sin(n * rate);
                    u[i + 2 * j + 1] = s[i + 2 * j + 1] + Math.cos(t * rate) + Math.cos(n * rate);
                }
            }
        }
        double[] a = rms(u, w[0], d);
        double[] q = linear(a, w[1], null, d, d);
        double[] k = linear(a, w[2], null, d, d);
        double[] v = linear(a, w[3], null, d, d);
        rotate(q, steps, heads, hd);
        rotate(k, steps, heads, hd);
        double[] attended = new double[s.length];
        for (int b = 0; b < batch; b++) {
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < steps; t++) {
                    double[] score = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j <= t; j++) {
                        double dot = 0;
                        for (int e = 0; e < hd; e++) {
                            dot += q[(b * steps + t) * d + h * hd + e] * k[(b * steps + j) * d + h * hd + e];
                        }
                        score[j] = dot / Math.sqrt(hd);
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j <= t; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int j = 0; j <= t; j++) {
                        for (int e = 0; e < hd; e++) {
                            attended[(b * steps + t) * d + h * hd + e] +=
                                    score[j] / sum * v[(b * steps + j) * d + h * hd + e];
                        }
                    }
                }
            }
        }
        double[] h = add(u, linear(attended, w[4], null, d, d));
        double[] up = linear(rms(h, w[5], d), w[6], w[7], d, m);
        for (int i = 0; i < up.length; i++) {
            double z = up[i];
            up[i] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
        }
        return add(h, linear(up, w[8], w[9], m, d));
    }

    /** Rotary positions, "rotate half" layout: dimension i of a head pairs with i + hd/2. */
    private static void rotate(double[] x, int steps, int heads, int hd) {
        int half = hd / 2;
        for (int r = 0; r < x.length / (heads * hd); r++) {
            int t = r % steps;
            for (int h = 0; h < heads; h++) {
                int base = r * heads * hd + h * hd;
                for (int i = 0; i < half; i++) {
                    double angle = t * Math.pow(10000.0, -2.0 * i / hd);
                    double x1 = x[base + i];
                    double x2 = x[base + i + half];
                    x[base + i] = x1 * Math.cos(angle) - x2 * Math.sin(angle);
                    x[base + i + half] = x2 * Math.cos(angle) + x1 * Math.sin(angle);
                }
            }
        }
    }

    private static double[] rms(double[] x, double[] g, int d) {
        double[] y = new double[x.length];
        for (int r = 0; r < x.length / d; r++) {
            double ss = 0;
            for (int k = 0; k < d; k++) {
                ss += x[r * d + k] * x[r * d + k];
            }
            double scale = 1 / Math.sqrt(ss / d + 1e-5);
            for (int k = 0; k < d; k++) {
                y[r * d + k] = x[r * d + k] * scale * g[k];
            }
        }
        return y;
    }

    /** {@code x [rows, in] W^T + b} with {@code W [out, in]}. */
    private static double[] linear(double[] x, double[] weight, double[] bias, int in, int out) {
        int rows = x.length / in;
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    acc += x[r * in + i] * weight[o * in + i];
                }
                y[r * out + o] = acc;
            }
        }
        return y;
    }

    private static double[] add(double[] a, double[] b) {
        double[] y = new double[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }
}
