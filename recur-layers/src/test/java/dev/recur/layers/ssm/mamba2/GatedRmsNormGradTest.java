package dev.recur.layers.ssm.mamba2;

import static dev.recur.core.testing.GradCheck.in;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GatedRmsNorm} ({@code weight * rmsNorm(x * silu(z))}, normalised per group of channels) against a
 * double-precision twin and central differences of it.
 */
class GatedRmsNormGradTest {
    private static final float EPS = 1e-5f;

    @ParameterizedTest(name = "rows={0} width={1} groupSize={2}")
    @CsvSource({"1, 1, 1", "3, 6, 6", "3, 6, 2", "4, 8, 4"})
    void matchesDoubleTwin(int rows, int width, int groupSize) {
        GradCheck.of("gatedRmsNorm").check(t -> GatedRmsNorm.apply(t[0], t[1], t[2], groupSize, EPS), d -> {
            double[] y = new double[rows * width];
            for (int r = 0; r < rows; r++) {
                for (int g0 = 0; g0 < width; g0 += groupSize) {
                    double ms = 0;
                    for (int i = g0; i < g0 + groupSize; i++) {
                        double z = d[1][r * width + i];
                        double v = d[0][r * width + i] * z / (1 + Math.exp(-z));
                        y[r * width + i] = v;
                        ms += v * v / groupSize;
                    }
                    double rstd = 1 / Math.sqrt(ms + EPS);
                    for (int i = g0; i < g0 + groupSize; i++) {
                        y[r * width + i] *= rstd * d[2][i];
                    }
                }
            }
            return y;
        }, in(rows, width), in(-2.0, 2.0, rows, width), in(0.5, 1.5, width));
    }

    @Test
    void groupSizeMustDivideTheWidth() {
        assertThatThrownBy(() -> GatedRmsNorm.apply(Tensor.zeros(2, 6), Tensor.zeros(2, 6), Tensor.zeros(6), 4, EPS))
                .isInstanceOf(RecurException.class).hasMessageContaining("gatedRmsNorm")
                .hasMessageContaining("width 6").hasMessageContaining("got 4");
        assertThatThrownBy(() -> GatedRmsNorm.apply(Tensor.zeros(2, 6), Tensor.zeros(2, 5), Tensor.zeros(6), 6, EPS))
                .isInstanceOf(RecurException.class).hasMessageContaining("gate");
    }
}
