package dev.recur.tasks.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import org.junit.jupiter.api.Test;

class ForecastWindowsTest {
    /** A two-dimensional series whose values encode their own time index: (t, -2t). */
    private static TimeSeries ramp(int n) {
        double[] v = new double[2 * n];
        for (int t = 0; t < n; t++) {
            v[2 * t] = t;
            v[2 * t + 1] = -2.0 * t;
        }
        return new TimeSeries("ramp", v, 2, 0.5);
    }

    @Test
    void windowsAreConsecutiveSamplesAndNeverCrossTheCut() {
        ForecastWindows w = new ForecastWindows(ramp(1000), new WindowSpec(20, 10, 0.25), 3);
        assertThat(w.cut()).isEqualTo(750);
        WindowBatch batch = w.trainingBatch(64, 5);
        for (int b = 0; b < 64; b++) {
            int s = batch.starts()[b];
            assertThat(s + 30).isLessThanOrEqualTo(750);
            for (int i = 0; i < 20; i++) {
                assertThat(batch.history().data()[(b * 20 + i) * 2]).isEqualTo((float) (s + i));
                assertThat(batch.history().data()[(b * 20 + i) * 2 + 1]).isEqualTo((float) (-2.0 * (s + i)));
            }
            for (int k = 0; k < 10; k++) {
                assertThat(batch.future().data()[(b * 10 + k) * 2]).isEqualTo((float) (s + 20 + k));
            }
        }
        assertThat(w.trainingBatch(64, 5).starts()).isEqualTo(batch.starts());
        assertThat(w.trainingBatch(64, 6).starts()).isNotEqualTo(batch.starts());
    }

    @Test
    void validationWindowsTileTheHeldOutPartInOrder() {
        ForecastWindows w = new ForecastWindows(ramp(1000), new WindowSpec(20, 10, 0.25), 3);
        // starts 750, 760, ..., 970 (970 + 30 = 1000)
        assertThat(w.validationWindowCount()).isEqualTo(23);
        WindowBatch first = w.validationBatch(16, 0);
        WindowBatch last = w.validationBatch(16, 1);
        assertThat(first.starts()[0]).isEqualTo(750);
        assertThat(first.starts()[15]).isEqualTo(900);
        assertThat(last.batchSize()).isEqualTo(7);
        assertThat(last.starts()[6]).isEqualTo(970);
        assertThatThrownBy(() -> w.validationBatch(16, 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("ramp").hasMessageContaining("got batchSize 16, index 2");
    }

    @Test
    void scaleIsTheTrainingPartsStandardDeviation() {
        ForecastWindows w = new ForecastWindows(ramp(1000), new WindowSpec(20, 10, 0.2), 1);
        // t = 0..799 uniform: variance (800^2 - 1) / 12
        double sd = Math.sqrt((800.0 * 800.0 - 1) / 12);
        assertThat(w.scale()[0]).isCloseTo(sd, within(1e-9));
        assertThat(w.scale()[1]).isCloseTo(2 * sd, within(1e-9));
    }

    @Test
    void rejectsSeriesTooShortForTheWindows() {
        assertThatThrownBy(() -> new ForecastWindows(ramp(40), new WindowSpec(20, 10, 0.5), 1))
                .isInstanceOf(RecurException.class).hasMessageContaining("ramp")
                .hasMessageContaining("at least history + horizon = 30");
        assertThatThrownBy(() -> new WindowSpec(0, 10, 0.1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("history 0");
        assertThatThrownBy(() -> new TimeSeries("x", new double[3], 2, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("3 values for 2 dims");
    }
}
