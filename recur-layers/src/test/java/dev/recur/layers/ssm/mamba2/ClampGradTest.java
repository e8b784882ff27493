package dev.recur.layers.ssm.mamba2;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** {@link Clamp} against a double twin and central differences, and PyTorch's gradient at the bounds. */
class ClampGradTest {
    @Test
    void matchesDoubleTwin() {
        GradCheck.of("clamp").check(t -> Clamp.apply(t[0], -0.3, 0.5), d -> {
            double[] y = new double[d[0].length];
            for (int i = 0; i < y.length; i++) {
                y[i] = Math.min(Math.max(d[0][i], -0.3), 0.5);
            }
            return y;
        }, in(7, 9));
    }

    @Test
    void gradientPassesAtTheBoundsAndNotBeyond() {
        Tensor x = Tensor.of(new float[] {-1f, 0f, 0.25f, 1f, 2f}, 5).requiresGrad(true);
        Tensor y = Clamp.apply(x, 0.0, 1.0);
        assertThat(y.data()).containsExactly(0f, 0f, 0.25f, 1f, 1f);
        y.backward(new float[] {1f, 1f, 1f, 1f, 1f});
        assertThat(x.grad().data()).containsExactly(0f, 1f, 1f, 1f, 0f);
        Tensor open = Clamp.apply(Tensor.of(new float[] {-3f, 1e30f}, 2), 0.0, Double.POSITIVE_INFINITY);
        assertThat(open.data()).containsExactly(0f, 1e30f);
    }

    @Test
    void reversedBoundsAreRejected() {
        assertThatThrownBy(() -> Clamp.apply(Tensor.zeros(2), 1.0, 0.0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("clamp").hasMessageContaining("low=1.0 high=0.0");
    }
}
