package dev.recur.layers.ffn;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * The mixture of experts against a double-precision twin that routes each token on its own (softmax, the top k
 * probabilities, no renormalisation, the weighted sum of the picked experts' gated MLPs): forward values and
 * central-difference gradients for the input, the router and every expert weight; and the hand-written
 * {@link IndexAdd} the same way.
 */
class SparseMoeGradTest {
    private static final int HIDDEN = 5;
    private static final int WIDTH = 4;
    private static final int EXPERTS = 4;
    private static final int TOP_K = 2;
    private static final int TOKENS = 7;

    private static Tensor slab(Tensor stacked, int e, int rows, int cols) {
        return Reshaping.reshape(Reshaping.slice(stacked, 0, e, e + 1), rows, cols);
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    /** inputs: x [TOKENS, H], router [E, H], gate [E, I, H], up [E, I, H], down [E, H, I]. */
    private static double[] twin(double[][] in) {
        double[] x = in[0];
        double[] router = in[1];
        double[] y = new double[TOKENS * HIDDEN];
        for (int n = 0; n < TOKENS; n++) {
            double[] logits = new double[EXPERTS];
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < EXPERTS; e++) {
                for (int j = 0; j < HIDDEN; j++) {
                    logits[e] += router[e * HIDDEN + j] * x[n * HIDDEN + j];
                }
                max = Math.max(max, logits[e]);
            }
            double total = 0;
            double[] p = new double[EXPERTS];
            for (int e = 0; e < EXPERTS; e++) {
                p[e] = Math.exp(logits[e] - max);
                total += p[e];
            }
            boolean[] picked = new boolean[EXPERTS];
            for (int k = 0; k < TOP_K; k++) {
                int best = -1;
                for (int e = 0; e < EXPERTS; e++) {
                    if (!picked[e] && (best < 0 || p[e] > p[best])) {
                        best = e;
                    }
                }
                picked[best] = true;
            }
            for (int e = 0; e < EXPERTS; e++) {
                if (!picked[e]) {
                    continue;
                }
                double[] h = new double[WIDTH];
                for (int i = 0; i < WIDTH; i++) {
                    double g = 0;
                    double u = 0;
                    for (int j = 0; j < HIDDEN; j++) {
                        g += in[2][(e * WIDTH + i) * HIDDEN + j] * x[n * HIDDEN + j];
                        u += in[3][(e * WIDTH + i) * HIDDEN + j] * x[n * HIDDEN + j];
                    }
                    h[i] = silu(g) * u;
                }
                for (int j = 0; j < HIDDEN; j++) {
                    double o = 0;
                    for (int i = 0; i < WIDTH; i++) {
                        o += in[4][(e * HIDDEN + j) * WIDTH + i] * h[i];
                    }
                    y[n * HIDDEN + j] += p[e] / total * o;
                }
            }
        }
        return y;
    }

    @Test
    void mixtureOfExpertsMatchesDoubleTwin() {
        GradCheck.of("sparseMoe").seed(3).forwardTolerance(1e-5).gradTolerance(1e-3).check(t -> {
            SparseMoe moe = new SparseMoe(t[1], EXPERTS, TOP_K, e -> GatedMlp.of(slab(t[2], e, WIDTH, HIDDEN),
                    slab(t[3], e, WIDTH, HIDDEN), slab(t[4], e, HIDDEN, WIDTH)), false);
            return moe.apply(Reshaping.reshape(t[0], 1, TOKENS, HIDDEN));
        }, SparseMoeGradTest::twin, in(-2.0, 2.0, TOKENS, HIDDEN), in(-1.5, 1.5, EXPERTS, HIDDEN),
                in(EXPERTS, WIDTH, HIDDEN), in(EXPERTS, WIDTH, HIDDEN), in(EXPERTS, HIDDEN, WIDTH));
    }

    @Test
    void routingPicksTheLargestProbabilitiesAndBreaksTiesTowardTheLowerExpert() {
        float[] probs = {
            0.1f, 0.5f, 0.4f, 0.0f,
            0.3f, 0.3f, 0.3f, 0.1f,
            0.0f, 0.0f, 0.2f, 0.8f,
        };
        int[][] routed = SparseMoe.route(probs, 3, 4, 2);
        assertThat(routed[0]).containsExactly(1);
        assertThat(routed[1]).containsExactly(0, 1);
        assertThat(routed[2]).containsExactly(0, 2);
        assertThat(routed[3]).containsExactly(2);
    }

    @Test
    void indexAddMatchesDoubleTwin() {
        int rows = 5;
        int width = 3;
        int[][] idx = {{4, 0, 2}, {0, 1}, {3, 0, 4, 2}};
        GradCheck.of("indexAdd").check(t -> IndexAdd.sum(rows, width, t, idx), in -> {
            double[] y = new double[rows * width];
            for (int k = 0; k < idx.length; k++) {
                for (int i = 0; i < idx[k].length; i++) {
                    for (int j = 0; j < width; j++) {
                        y[idx[k][i] * width + j] += in[k][i * width + j];
                    }
                }
            }
            return y;
        }, in(3, width), in(2, width), in(4, width));
    }
}
