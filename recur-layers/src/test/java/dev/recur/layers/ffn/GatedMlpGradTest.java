package dev.recur.layers.ffn;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link GatedMlp} ({@code down(silu(gate(x)) * up(x))} with PyTorch {@code [out, in]} weights) against a
 * double-precision twin and central differences of it, for every input and weight.
 */
class GatedMlpGradTest {
    @ParameterizedTest(name = "rows={0} width={1} mlp={2}")
    @CsvSource({"1, 1, 1", "3, 4, 6", "5, 3, 2"})
    void matchesDoubleTwin(int rows, int width, int mlp) {
        GradCheck.of("gatedMlp").check(t -> GatedMlp.of(t[1], t[2], t[3]).apply(t[0]), d -> {
            double[] y = new double[rows * width];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < mlp; j++) {
                    double g = 0;
                    double u = 0;
                    for (int i = 0; i < width; i++) {
                        g += d[1][j * width + i] * d[0][r * width + i];
                        u += d[2][j * width + i] * d[0][r * width + i];
                    }
                    double h = g / (1 + Math.exp(-g)) * u;
                    for (int o = 0; o < width; o++) {
                        y[r * width + o] += d[3][o * mlp + j] * h;
                    }
                }
            }
            return y;
        }, in(-2.0, 2.0, rows, width), in(mlp, width), in(mlp, width), in(width, mlp));
    }
}
