package dev.recur.tasks.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ForecastMetricsTest {
    @Test
    void nrmseAndValidTimeOnAHandWorkedCase() {
        // one row, 4 steps, 1 dim, scale 2: errors 0.2, 0.6, 1.2, 2.0 -> normalised 0.1, 0.3, 0.6, 1.0
        Tensor truth = Tensor.of(new float[] {1, 1, 1, 1}, 1, 4, 1);
        Tensor pred = Tensor.of(new float[] {1.2f, 1.6f, 2.2f, 3.0f}, 1, 4, 1);
        double[] scale = {2};
        double expected = Math.sqrt((0.01 + 0.09 + 0.36 + 1.0) / 4);
        assertThat(ForecastMetrics.nrmse(pred, truth, scale)).isCloseTo(expected, within(1e-6));
        // threshold 0.5: two steps stay below, so 2 * dt
        assertThat(ForecastMetrics.validPredictionTime(pred, truth, scale, 0.5, 0.25, Double.NaN))
                .isCloseTo(0.5, within(1e-12));
        assertThat(ForecastMetrics.validPredictionTime(pred, truth, scale, 0.5, 0.25, 2.0))
                .isCloseTo(1.0, within(1e-12));
        assertThat(ForecastMetrics.validPredictionTime(truth, truth, scale, 0.5, 0.25, Double.NaN))
                .isCloseTo(1.0, within(1e-12));
    }

    @Test
    void errorAveragesOverDimsInsideTheRoot() {
        Tensor truth = Tensor.of(new float[] {0, 0}, 1, 1, 2);
        Tensor pred = Tensor.of(new float[] {3, 4}, 1, 1, 2);
        assertThat(ForecastMetrics.errorCurves(pred, truth, new double[] {1, 2})[0][0])
                .isCloseTo(Math.sqrt((9 + 4) / 2.0), within(1e-12));
    }

    @Test
    void persistenceRepeatsTheLastHistorySample() {
        Tensor history = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2);
        Tensor p = ForecastMetrics.persistence(history, 3);
        assertThat(p.shape()).containsExactly(2, 3, 2);
        assertThat(p.data()).containsExactly(3, 4, 3, 4, 3, 4, 7, 8, 7, 8, 7, 8);
        assertThatThrownBy(() -> ForecastMetrics.persistence(Tensor.of(new float[] {1, 2}, 1, 2), 3))
                .isInstanceOf(RecurException.class).hasMessageContaining("persistence");
    }

    @Test
    void shapesMustAgree() {
        Tensor a = Tensor.of(new float[4], 1, 2, 2);
        Tensor b = Tensor.of(new float[4], 1, 4, 1);
        assertThatThrownBy(() -> ForecastMetrics.nrmse(a, b, new double[] {1})).isInstanceOf(RecurException.class)
                .hasMessageContaining("[1, 2, 2]");
    }
}
