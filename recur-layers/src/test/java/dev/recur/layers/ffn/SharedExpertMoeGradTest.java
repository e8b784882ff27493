package dev.recur.layers.ffn;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * Qwen3-Next's mixture of experts against a double-precision twin that handles each token on its own: softmax
 * router, the top k probabilities renormalised to sum to one (or left as they are without {@code norm_topk_prob}),
 * the weighted sum of the picked experts' gated MLPs, plus the shared expert scaled by
 * {@code sigmoid(shared_expert_gate x)}. Forward values and central-difference gradients for the input, the router,
 * every expert weight, the shared expert and its gate.
 */
class SharedExpertMoeGradTest {
    private static final int HIDDEN = 5;
    private static final int WIDTH = 4;
    private static final int SHARED = 3;
    private static final int EXPERTS = 4;
    private static final int TOP_K = 2;
    private static final int TOKENS = 7;

    private static Tensor slab(Tensor stacked, int e, int rows, int cols) {
        return Reshaping.reshape(Reshaping.slice(stacked, 0, e, e + 1), rows, cols);
    }

    private static double silu(double v) {
        return v / (1 + Math.exp(-v));
    }

    /** {@code down(silu(gate x) * up x)} for token {@code n}, weights at the given offsets. */
    private static double[] mlp(double[] x, int n, double[] gate, double[] up, double[] down, int offset, int width) {
        double[] h = new double[width];
        for (int i = 0; i < width; i++) {
            double g = 0;
            double u = 0;
            for (int j = 0; j < HIDDEN; j++) {
                g += gate[offset * width * HIDDEN + i * HIDDEN + j] * x[n * HIDDEN + j];
                u += up[offset * width * HIDDEN + i * HIDDEN + j] * x[n * HIDDEN + j];
            }
            h[i] = silu(g) * u;
        }
        double[] y = new double[HIDDEN];
        for (int j = 0; j < HIDDEN; j++) {
            for (int i = 0; i < width; i++) {
                y[j] += down[offset * HIDDEN * width + j * width + i] * h[i];
            }
        }
        return y;
    }

    /**
     * inputs: x [TOKENS, H], router [E, H], gate [E, I, H], up [E, I, H], down [E, H, I], shared gate [S, H],
     * shared up [S, H], shared down [H, S], shared expert gate [1, H].
     */
    private static double[] twin(double[][] in, boolean normalise) {
        double[] x = in[0];
        double[] y = new double[TOKENS * HIDDEN];
        for (int n = 0; n < TOKENS; n++) {
            double[] p = new double[EXPERTS];
            double max = Double.NEGATIVE_INFINITY;
            for (int e = 0; e < EXPERTS; e++) {
                for (int j = 0; j < HIDDEN; j++) {
                    p[e] += in[1][e * HIDDEN + j] * x[n * HIDDEN + j];
                }
                max = Math.max(max, p[e]);
            }
            double total = 0;
            for (int e = 0; e < EXPERTS; e++) {
                p[e] = Math.exp(p[e] - max);
                total += p[e];
            }
            boolean[] picked = new boolean[EXPERTS];
            double pickedSum = 0;
            for (int k = 0; k < TOP_K; k++) {
                int best = -1;
                for (int e = 0; e < EXPERTS; e++) {
                    if (!picked[e] && (best < 0 || p[e] > p[best])) {
                        best = e;
                    }
                }
                picked[best] = true;
                pickedSum += p[best] / total;
            }
            for (int e = 0; e < EXPERTS; e++) {
                if (picked[e]) {
                    double weight = p[e] / total / (normalise ? pickedSum : 1.0);
                    double[] o = mlp(x, n, in[2], in[3], in[4], e, WIDTH);
                    for (int j = 0; j < HIDDEN; j++) {
                        y[n * HIDDEN + j] += weight * o[j];
                    }
                }
            }
            double g = 0;
            for (int j = 0; j < HIDDEN; j++) {
                g += in[8][j] * x[n * HIDDEN + j];
            }
            double[] s = mlp(x, n, in[5], in[6], in[7], 0, SHARED);
            for (int j = 0; j < HIDDEN; j++) {
                y[n * HIDDEN + j] += s[j] / (1 + Math.exp(-g));
            }
        }
        return y;
    }

    private static void check(boolean normalise) {
        GradCheck.of("sharedExpertMoe").seed(5).forwardTolerance(1e-5).gradTolerance(1e-3).check(t -> {
            SparseMoe routed = new SparseMoe(t[1], EXPERTS, TOP_K, e -> GatedMlp.of(slab(t[2], e, WIDTH, HIDDEN),
                    slab(t[3], e, WIDTH, HIDDEN), slab(t[4], e, HIDDEN, WIDTH)), normalise);
            SharedExpertMoe moe = new SharedExpertMoe(routed, GatedMlp.of(t[5], t[6], t[7]), t[8]);
            return moe.apply(Reshaping.reshape(t[0], 1, TOKENS, HIDDEN));
        }, in -> twin(in, normalise), in(-2.0, 2.0, TOKENS, HIDDEN), in(-1.5, 1.5, EXPERTS, HIDDEN),
                in(EXPERTS, WIDTH, HIDDEN), in(EXPERTS, WIDTH, HIDDEN), in(EXPERTS, HIDDEN, WIDTH),
                in(SHARED, HIDDEN), in(SHARED, HIDDEN), in(HIDDEN, SHARED), in(1, HIDDEN));
    }

    @Test
    void renormalisedTopKWithSharedExpertMatchesDoubleTwin() {
        check(true);
    }

    @Test
    void unnormalisedTopKWithSharedExpertMatchesDoubleTwin() {
        check(false);
    }
}
