package dev.recur.layers.ffn;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * {@link ExpertLinear} against a double-precision twin ({@code y = x W_block^T} for a block of rows of one expert of
 * a stacked weight): forward, and central-difference gradients for the input and the whole stacked weight (zero
 * outside the block); a block outside the weight is rejected.
 */
class ExpertLinearGradTest {
    private static final int EXPERTS = 3;
    private static final int ROWS = 7;
    private static final int IN = 5;

    private static void check(int tokens, int expert, int from, int out) {
        GradCheck.of("expertLinear e=" + expert + " rows " + from + "+" + out)
                .check(t -> ExpertLinear.apply(t[0], t[1], expert, from, out), d -> {
                    double[] y = new double[tokens * out];
                    for (int n = 0; n < tokens; n++) {
                        for (int j = 0; j < out; j++) {
                            double s = 0;
                            for (int p = 0; p < IN; p++) {
                                s += d[0][n * IN + p] * d[1][((expert * ROWS) + from + j) * IN + p];
                            }
                            y[n * out + j] = s;
                        }
                    }
                    return y;
                }, in(tokens, IN), in(EXPERTS, ROWS, IN));
    }

    @Test
    void blocksOfEachExpertMatchDoubleTwin() {
        check(4, 0, 0, 3);
        check(1, 1, 3, 4);
        check(9, 2, 2, 5);
    }

    @Test
    void blockOutsideTheWeightIsRejected() {
        Tensor x = Tensor.zeros(2, IN);
        Tensor w = Tensor.zeros(EXPERTS, ROWS, IN);
        assertThatThrownBy(() -> ExpertLinear.apply(x, w, 3, 0, 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("expert 3");
        assertThatThrownBy(() -> ExpertLinear.apply(x, w, 0, 5, 3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("rows [5, 8)");
        assertThatThrownBy(() -> ExpertLinear.apply(Tensor.zeros(2, 4), w, 0, 0, 3))
                .isInstanceOf(RecurException.class).hasMessageContaining("[2, 4]");
    }
}
