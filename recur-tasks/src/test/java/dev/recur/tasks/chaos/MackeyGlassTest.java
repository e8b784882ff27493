package dev.recur.tasks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.tasks.series.TimeSeries;
import org.junit.jupiter.api.Test;

class MackeyGlassTest {
    @Test
    void oscillatesIrregularlyWithinTheKnownBounds() {
        TimeSeries s = MackeyGlass.STANDARD.simulate(5000, 500, 2);
        double mean = s.mean(0, s.length())[0];
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        int crossings = 0;
        for (int t = 0; t < s.length(); t++) {
            double v = s.value(t, 0);
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (t > 0 && (s.value(t - 1, 0) - mean) * (v - mean) < 0) {
                crossings++;
            }
        }
        // the tau = 17 attractor lies in about [0.2, 1.4] around a mean near 0.9
        assertThat(min).isBetween(0.15, 0.6);
        assertThat(max).isBetween(1.1, 1.45);
        assertThat(mean).isBetween(0.8, 1.0);
        // a quasi-period of ~50 time units: 5000 samples one unit apart cross the mean ~200 times
        assertThat(crossings).isBetween(120, 300);
        assertThat(s.std(0, s.length())[0]).isGreaterThan(0.15);
    }

    @Test
    void delayIntegratorConvergesAtFourthOrder() {
        double[] coarse = new MackeyGlass(0.2, 0.1, 10, 17, 0.25, 1).integrate(1.2, 400);
        double[] fine = new MackeyGlass(0.2, 0.1, 10, 17, 0.125, 1).integrate(1.2, 800);
        double[] finest = new MackeyGlass(0.2, 0.1, 10, 17, 1.0 / 64, 1).integrate(1.2, 6400);
        double e1 = Math.abs(coarse[400] - finest[6400]);
        double e2 = Math.abs(fine[800] - finest[6400]);
        assertThat(e1 / e2).as("errors %s and %s", e1, e2).isGreaterThan(10.0);
    }

    @Test
    void rejectsADelayOffTheGrid() {
        assertThatThrownBy(() -> new MackeyGlass(0.2, 0.1, 10, 17, 0.3, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("tau / step");
    }
}
