package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

class CausalConv1dGradTest {
    /**
     * PyTorch's {@code nn.Conv1d(C, C, K, groups=C, padding=K-1)(x.transpose(1, 2))[..., :T]} in double, written as
     * PyTorch defines it: channel-major signal padded by K-1 on both sides (the left pad replaced by the carried
     * state when given), a full cross-correlation of length T+K-1, then the first T outputs, transposed back.
     * Returns the output [B, T, C] followed by the new state [B, K-1, C] (the last K-1 inputs of state then x).
     */
    static double[] convTwin(double[] x, double[] w, double[] bias, double[] state, int nb, int nt, int nc, int nk) {
        int padded = nt + 2 * (nk - 1);
        double[] y = new double[nb * nt * nc];
        double[] newState = new double[nb * (nk - 1) * nc];
        for (int b = 0; b < nb; b++) {
            for (int c = 0; c < nc; c++) {
                double[] sig = new double[padded];
                for (int p = 0; p < nk - 1; p++) {
                    sig[p] = state == null ? 0 : state[(b * (nk - 1) + p) * nc + c];
                }
                for (int t = 0; t < nt; t++) {
                    sig[nk - 1 + t] = x[(b * nt + t) * nc + c];
                }
                for (int t = 0; t < nt + nk - 1; t++) {
                    double s = bias == null ? 0 : bias[c];
                    for (int j = 0; j < nk; j++) {
                        s += w[c * nk + j] * sig[t + j];
                    }
                    if (t < nt) {
                        y[(b * nt + t) * nc + c] = s;
                    }
                }
                for (int p = 0; p < nk - 1; p++) {
                    newState[(b * (nk - 1) + p) * nc + c] = sig[nt + p];
                }
            }
        }
        return concat(y, newState);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double[] outputPart(double[] both, int nb, int nt, int nc) {
        return java.util.Arrays.copyOf(both, nb * nt * nc);
    }

    private static double[] statePart(double[] both, int nb, int nt, int nc) {
        return java.util.Arrays.copyOfRange(both, nb * nt * nc, both.length);
    }

    @Test
    void outputAndStateMatchTwinOnAwkwardLengths() {
        int nb = 2;
        int nc = 3;
        int nk = 4;
        for (int nt : new int[] {1, 63, 257}) {
            GradCheck.of("causalConv1d output T=" + nt)
                    .check(x -> CausalConv1d.forward(x[0], x[1], x[2], x[3]).output(),
                            d -> outputPart(convTwin(d[0], d[1], d[2], d[3], nb, nt, nc, nk), nb, nt, nc),
                            in(nb, nt, nc), in(nc, nk), in(nc), in(nb, nk - 1, nc));
            GradCheck.of("causalConv1d state T=" + nt)
                    .check(x -> CausalConv1d.forward(x[0], x[1], x[2], x[3]).state(),
                            d -> statePart(convTwin(d[0], d[1], d[2], d[3], nb, nt, nc, nk), nb, nt, nc),
                            in(nb, nt, nc), in(nc, nk), in(nc), in(nb, nk - 1, nc));
        }
    }

    @Test
    void withoutBiasOrStateAndWithKernelOne() {
        GradCheck.of("causalConv1d no bias, zero state")
                .check(x -> CausalConv1d.forward(x[0], x[1], null, null).output(),
                        d -> outputPart(convTwin(d[0], d[1], null, null, 3, 7, 5, 3), 3, 7, 5),
                        in(3, 7, 5), in(5, 3));
        GradCheck.of("causalConv1d K=1")
                .check(x -> CausalConv1d.forward(x[0], x[1], x[2], null).output(),
                        d -> outputPart(convTwin(d[0], d[1], d[2], null, 2, 5, 4, 1), 2, 5, 4),
                        in(2, 5, 4), in(4, 1), in(4));
    }

    @Test
    void stepMatchesTwinWithGradients() {
        GradCheck.of("causalConv1d.step output")
                .check(x -> CausalConv1d.step(x[0], x[1], x[2], x[3]).output(),
                        d -> outputPart(convTwin(d[0], d[1], d[2], d[3], 2, 1, 3, 4), 2, 1, 3),
                        in(2, 3), in(3, 4), in(3), in(2, 3, 3));
        GradCheck.of("causalConv1d.step state")
                .check(x -> CausalConv1d.step(x[0], x[1], x[2], x[3]).state(),
                        d -> statePart(convTwin(d[0], d[1], d[2], d[3], 2, 1, 3, 4), 2, 1, 3),
                        in(2, 3), in(3, 4), in(3), in(2, 3, 3));
    }

    @Test
    void badShapesAreNamed() {
        Tensor x = Tensor.zeros(2, 5, 3);
        assertThatThrownBy(() -> CausalConv1d.forward(x, Tensor.zeros(4, 3), null, null))
                .isInstanceOf(RecurException.class).hasMessageContaining("causalConv1d").hasMessageContaining("weight")
                .hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> CausalConv1d.forward(x, Tensor.zeros(3, 4), Tensor.zeros(4), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("bias").hasMessageContaining("[3]");
        assertThatThrownBy(() -> CausalConv1d.forward(x, Tensor.zeros(3, 4), null, Tensor.zeros(2, 2, 3)))
                .isInstanceOf(RecurException.class).hasMessageContaining("state").hasMessageContaining("[2, 3, 3]")
                .hasMessageContaining("[2, 2, 3]");
        assertThatThrownBy(() -> CausalConv1d.forward(Tensor.zeros(5, 3), Tensor.zeros(3, 4), null, null))
                .isInstanceOf(RecurException.class).hasMessageContaining("[B, T, C]");
        assertThatThrownBy(() -> CausalConv1d.step(x, Tensor.zeros(3, 4), null, null))
                .isInstanceOf(RecurException.class).hasMessageContaining("step").hasMessageContaining("[B, C]");
    }
}
