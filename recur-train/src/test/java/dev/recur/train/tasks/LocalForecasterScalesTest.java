package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Per-column standardisation: with radius 0, a column that is an affine copy of another ({@code 1000 x + 5}),
 * given the matching mean and std, is read as the same standardised input, so the shared LSTM forecasts the same
 * affine copy, and its one-step loss term equals the first column's.
 */
class LocalForecasterScalesTest {
    @Test
    void anAffineCopyOfAColumnIsForecastAsTheSameCopy() {
        int b = 2;
        int h = 9;
        float[] x = new float[b * h * 2];                                        // [B, H, 2]
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < h; t++) {
                double v = Math.sin(0.3 * t + r);
                x[(r * h + t) * 2] = (float) v;
                x[(r * h + t) * 2 + 1] = (float) (1000 * v + 5);
            }
        }
        LocalForecaster f = new LocalForecaster(new double[] {0.1, 105}, new double[] {0.7, 700}, 0, 6, new Rng(3));
        float[] y = f.forecast(Tensor.of(x, b, h, 2), 5).data();                // [B, 5, 2]
        for (int i = 0; i < y.length; i += 2) {
            assertEquals(1000.0 * y[i] + 5, y[i + 1], 2e-3 * 1000, "step " + i / 2);
        }
        LocalForecaster one = new LocalForecaster(new double[] {0.1}, new double[] {0.7}, 0, 6, new Rng(3));
        float[] col0 = new float[b * h];
        for (int i = 0; i < col0.length; i++) {
            col0[i] = x[2 * i];
        }
        assertEquals(one.oneStepLoss(Tensor.of(col0, b, h, 1)).item(), f.oneStepLoss(Tensor.of(x, b, h, 2)).item(),
                1e-4);
    }

    @Test
    void refusesAZeroScale() {
        assertThrows(RecurException.class,
                () -> new LocalForecaster(new double[] {0, 1}, new double[] {1, 0}, 0, 4, new Rng(1)));
    }
}
