package dev.recur.core.ops;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** {@link Reshaping#flip} against a twin that reverses one index; gradients by finite differences. */
class FlipGradTest {
    /** {@code x [p, q, r]} reversed along {@code axis}. */
    private static double[] twin(double[] x, int p, int q, int r, int axis) {
        double[] y = new double[x.length];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < q; j++) {
                for (int k = 0; k < r; k++) {
                    int si = axis == 0 ? p - 1 - i : i;
                    int sj = axis == 1 ? q - 1 - j : j;
                    int sk = axis == 2 ? r - 1 - k : k;
                    y[(i * q + j) * r + k] = x[(si * q + sj) * r + sk];
                }
            }
        }
        return y;
    }

    @Test
    void flipReversesOneAxisAndScattersTheGradientBack() {
        for (int axis = 0; axis < 3; axis++) {
            int ax = axis;
            GradCheck.of("flip axis " + axis).check(x -> Reshaping.flip(x[0], ax), d -> twin(d[0], 2, 5, 3, ax),
                    in(2, 5, 3));
        }
        GradCheck.of("flip axis -2").check(x -> Reshaping.flip(x[0], -2), d -> twin(d[0], 2, 5, 3, 1), in(2, 5, 3));
    }

    @Test
    void badAxisIsNamed() {
        assertThatThrownBy(() -> Reshaping.flip(Tensor.zeros(2, 3), 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("flip");
    }
}
