package dev.recur.core.ops;

import dev.recur.core.parallel.ComputePool;

/**
 * The loops of {@link CausalConv1d}, on the padded input {@code xpad [B, K-1+T, C]} and the weight transposed to
 * {@code [K, C]} so that the innermost loop runs along contiguous channels. Channels are independent, so each
 * loop is cut into channel ranges on the shared {@link ComputePool}; every element still sees the same operations
 * in the same order, so the bits do not depend on the thread count.
 */
final class CausalConv1dLoops {
    /** Below this many multiply-adds, one thread is faster than a hand-off. */
    static final long PARALLEL_WORK = 1 << 17;
    /** Channel ranges start on multiples of this (whole SIMD vectors). */
    static final int ALIGN = 16;

    private CausalConv1dLoops() {}

    /** Runs {@code body} over channel ranges covering {@code [0, nc)}, in parallel when the work is large. */
    static void forChannels(int nc, long work, ComputePool.RangeBody body) {
        if (work < PARALLEL_WORK || nc < 2 * ALIGN) {
            body.run(0, nc);
            return;
        }
        ComputePool.shared().forRanges(nc, ALIGN, body);
    }

    /** {@code w [C, K]} as {@code [K, C]}. */
    static float[] transpose(float[] w, int nc, int nk) {
        float[] t = new float[w.length];
        for (int c = 0; c < nc; c++) {
            for (int j = 0; j < nk; j++) {
                t[j * nc + c] = w[c * nk + j];
            }
        }
        return t;
    }

    /** Adds {@code t [K, C]} back into {@code w [C, K]}'s layout, overwriting it. */
    static void untranspose(float[] t, float[] w, int nc, int nk) {
        for (int c = 0; c < nc; c++) {
            for (int j = 0; j < nk; j++) {
                w[c * nk + j] = t[j * nc + c];
            }
        }
    }

    /** {@code y[b, t, c] = bias[c] + sum_j wt[j, c] * xpad[b, t + j, c]} (bias may be null). */
    static void forward(float[] xpad, float[] wt, float[] bias, float[] y, int nb, int nt, int nc, int nk) {
        int np = nk - 1 + nt;
        forChannels(nc, (long) nb * nt * nc * nk, (c0, c1) -> {
            for (int b = 0; b < nb; b++) {
                for (int t = 0; t < nt; t++) {
                    int yo = (b * nt + t) * nc;
                    if (bias != null) {
                        System.arraycopy(bias, c0, y, yo + c0, c1 - c0);
                    }
                    for (int j = 0; j < nk; j++) {
                        int xo = (b * np + t + j) * nc;
                        int wo = j * nc;
                        for (int c = c0; c < c1; c++) {
                            y[yo + c] = Math.fma(wt[wo + c], xpad[xo + c], y[yo + c]);
                        }
                    }
                }
            }
        });
    }

    /** {@code gwt[j, c] += sum_{b,t} dy[b, t, c] * xpad[b, t + j, c]}, accumulated in (b, t) order. */
    static void weightGrad(float[] dy, float[] xpad, float[] gwt, int nb, int nt, int nc, int nk) {
        int np = nk - 1 + nt;
        forChannels(nc, (long) nb * nt * nc * nk, (c0, c1) -> {
            for (int b = 0; b < nb; b++) {
                for (int t = 0; t < nt; t++) {
                    int yo = (b * nt + t) * nc;
                    for (int j = 0; j < nk; j++) {
                        int xo = (b * np + t + j) * nc;
                        int wo = j * nc;
                        for (int c = c0; c < c1; c++) {
                            gwt[wo + c] = Math.fma(dy[yo + c], xpad[xo + c], gwt[wo + c]);
                        }
                    }
                }
            }
        });
    }

    /** {@code gb[c] += sum_{b,t} dy[b, t, c]}, in (b, t) order. */
    static void biasGrad(float[] dy, float[] gb, int rows, int nc) {
        forChannels(nc, (long) rows * nc, (c0, c1) -> {
            for (int r = 0; r < rows; r++) {
                int o = r * nc;
                for (int c = c0; c < c1; c++) {
                    gb[c] += dy[o + c];
                }
            }
        });
    }

    /** {@code dpad[b, t + j, c] += wt[j, c] * dy[b, t, c]}, in (t, j) order for each element. */
    static void inputGrad(float[] dy, float[] wt, float[] dpad, int nb, int nt, int nc, int nk) {
        int np = nk - 1 + nt;
        forChannels(nc, (long) nb * nt * nc * nk, (c0, c1) -> {
            for (int b = 0; b < nb; b++) {
                for (int t = 0; t < nt; t++) {
                    int yo = (b * nt + t) * nc;
                    for (int j = 0; j < nk; j++) {
                        int xo = (b * np + t + j) * nc;
                        int wo = j * nc;
                        for (int c = c0; c < c1; c++) {
                            dpad[xo + c] = Math.fma(wt[wo + c], dy[yo + c], dpad[xo + c]);
                        }
                    }
                }
            }
        });
    }
}
