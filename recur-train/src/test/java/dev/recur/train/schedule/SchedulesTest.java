package dev.recur.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.train.schedule.WarmupStableDecay.Tail;
import org.junit.jupiter.api.Test;

/** Schedules against their closed forms at boundaries and midpoints. */
class SchedulesTest {
    static final double TOL = 1e-15;

    @Test
    void constantIsConstant() {
        Constant c = new Constant(3e-4);
        assertThat(c.at(0)).isEqualTo(3e-4);
        assertThat(c.at(1_000_000_000_000L)).isEqualTo(3e-4);
    }

    @Test
    void cosineHitsPeakHalfwayAndFloor() {
        Cosine c = new Cosine(1.0, 0.1, 100);
        assertThat(c.at(0)).isEqualTo(1.0);
        assertThat(c.at(50)).isCloseTo(0.55, within(TOL));
        // A quarter of the way: floor + (peak - floor) * (1 + cos(pi/4)) / 2.
        assertThat(c.at(25)).isCloseTo(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, within(TOL));
        assertThat(c.at(100)).isEqualTo(0.1);
        assertThat(c.at(5000)).isEqualTo(0.1);
        assertThat(c.at(99)).isGreaterThan(0.1).isLessThan(0.1 + 1e-3);
    }

    @Test
    void linearWarmupRampsToTheWrappedScheduleThenHandsOver() {
        LinearWarmup w = new LinearWarmup(10, new Cosine(2.0, 0.0, 20));
        assertThat(w.at(0)).isCloseTo(0.2, within(TOL));
        assertThat(w.at(4)).isCloseTo(1.0, within(TOL));
        assertThat(w.at(9)).isCloseTo(2.0, within(TOL));
        assertThat(w.at(10)).isEqualTo(2.0);
        assertThat(w.at(20)).isCloseTo(1.0, within(TOL));
        assertThat(w.at(30)).isEqualTo(0.0);
    }

    @Test
    void warmupStableDecayPhases() {
        WarmupStableDecay s = new WarmupStableDecay(1.0, 0.0, 1000, 100, 200, Tail.LINEAR);
        assertThat(s.decayStart()).isEqualTo(800);
        assertThat(s.at(0)).isCloseTo(0.01, within(TOL));
        assertThat(s.at(49)).isCloseTo(0.5, within(TOL));
        assertThat(s.at(99)).isEqualTo(1.0);
        assertThat(s.at(100)).isEqualTo(1.0);
        assertThat(s.at(500)).isEqualTo(1.0);
        assertThat(s.at(799)).isEqualTo(1.0);
        assertThat(s.at(800)).isEqualTo(1.0);
        assertThat(s.at(900)).isCloseTo(0.5, within(TOL));
        assertThat(s.at(950)).isCloseTo(0.25, within(TOL));
        assertThat(s.at(999)).isCloseTo(0.005, within(TOL));
        assertThat(s.at(1000)).isEqualTo(0.0);
        assertThat(s.at(10_000)).isEqualTo(0.0);
    }

    @Test
    void warmupStableDecayTailShapes() {
        WarmupStableDecay cos = new WarmupStableDecay(2.0, 0.2, 100, 0, 40, Tail.COSINE);
        assertThat(cos.at(0)).isEqualTo(2.0);
        assertThat(cos.at(80)).isCloseTo(0.2 + 1.8 * 0.5, within(TOL));
        assertThat(cos.at(70)).isCloseTo(0.2 + 1.8 * (1 + Math.cos(Math.PI * 0.25)) / 2, within(TOL));
        assertThat(cos.at(100)).isCloseTo(0.2, within(TOL));
        WarmupStableDecay sqrt = new WarmupStableDecay(1.0, 0.0, 100, 0, 40, Tail.SQRT);
        assertThat(sqrt.at(70)).isCloseTo(0.5, within(TOL));
        assertThat(sqrt.at(100)).isEqualTo(0.0);
    }

    @Test
    void constructorsNameTheBadField() {
        assertThatThrownBy(() -> new Constant(-1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("Constant: learningRate");
        assertThatThrownBy(() -> new Cosine(1, 2, 10)).hasMessageContaining("floor");
        assertThatThrownBy(() -> new Cosine(1, 0, 0)).hasMessageContaining("decaySteps");
        assertThatThrownBy(() -> new Cosine(Double.NaN, 0, 5)).hasMessageContaining("peak");
        assertThatThrownBy(() -> new LinearWarmup(0, new Constant(1))).hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> new LinearWarmup(5, null)).hasMessageContaining("after");
        assertThatThrownBy(() -> new WarmupStableDecay(1, 0, 100, 90, 20, Tail.LINEAR))
                .hasMessageContaining("warmupSteps + decaySteps").hasMessageContaining("90 + 20");
        assertThatThrownBy(() -> new WarmupStableDecay(1, 0, 100, -1, 20, Tail.LINEAR))
                .hasMessageContaining("warmupSteps");
        assertThatThrownBy(() -> new WarmupStableDecay(1, 0, 100, 0, 20, null)).hasMessageContaining("tail");
        assertThatThrownBy(() -> new Constant(1).at(-1)).hasMessageContaining("step");
    }
}
