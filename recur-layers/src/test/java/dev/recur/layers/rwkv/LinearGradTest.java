package dev.recur.layers.rwkv;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Linear} against a double-precision twin of {@code x W^T} and central differences of it. */
class LinearGradTest {
    @ParameterizedTest(name = "rows={0} in={1} out={2}")
    @CsvSource({"1, 1, 1", "6, 5, 3", "7, 2, 9"})
    void matchesDoubleTwin(int rows, int in, int out) {
        GradCheck.of("linear").check(t -> Linear.apply(t[0], t[1]), d -> {
            double[] y = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double s = 0;
                    for (int i = 0; i < in; i++) {
                        s += d[0][r * in + i] * d[1][o * in + i];
                    }
                    y[r * out + o] = s;
                }
            }
            return y;
        }, in(1, rows, in), in(out, in));
    }

    @Test
    void mismatchedSizesNameBothShapes() {
        assertThatThrownBy(() -> Linear.apply(Tensor.zeros(2, 3), Tensor.zeros(4, 5)))
                .isInstanceOf(RecurException.class).hasMessageContaining("x [2, 3]").hasMessageContaining("[4, 5]");
    }
}
