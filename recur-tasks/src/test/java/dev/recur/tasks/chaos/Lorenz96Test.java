package dev.recur.tasks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.tasks.series.TimeSeries;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Lorenz96Test {
    @Test
    void derivativeMatchesTheEquationWrittenOut() {
        Lorenz96 l = new Lorenz96(5, 8, 0.01, 1);
        double[] x = {1, 2, 3, 4, 5};
        double[] d = new double[5];
        l.derivative(x, d);
        // i = 0: (x1 - x3) * x4 - x0 + F = (2 - 4) * 5 - 1 + 8
        assertThat(d[0]).isEqualTo(-3.0);
        // i = 2: (x3 - x0) * x1 - x2 + F = (4 - 1) * 2 - 3 + 8
        assertThat(d[2]).isEqualTo(11.0);
    }

    /** The advection term alone conserves energy: with F = 0, dE/dt = -2E exactly, E = sum(x^2)/2. */
    @Test
    void advectionConservesEnergy() {
        Lorenz96 l = new Lorenz96(40, 0, 0.01, 1);
        SplittableRandom r = new SplittableRandom(1);
        double[] x = new double[40];
        for (int i = 0; i < 40; i++) {
            x[i] = r.nextDouble(-5, 5);
        }
        double[] d = new double[40];
        l.derivative(x, d);
        double dEdt = 0;
        double twoE = 0;
        for (int i = 0; i < 40; i++) {
            dEdt += x[i] * d[i];
            twoE += x[i] * x[i];
        }
        assertThat(dEdt).isCloseTo(-twoE, within(1e-9));
    }

    @Test
    void rungeKuttaIsFourthOrder() {
        Lorenz96 l = new Lorenz96(8, 8, 0.01, 1);
        double[] start = {8.1, 7.9, 8.3, 6.0, 9.0, 8.0, 7.5, 8.2};
        double[] exact = integrate(l, start, 1.0, 1.0 / 4096);
        double e1 = distance(integrate(l, start, 1.0, 1.0 / 64), exact);
        double e2 = distance(integrate(l, start, 1.0, 1.0 / 128), exact);
        // halving the step divides a fourth-order error by ~16
        assertThat(e1 / e2).isBetween(12.0, 20.0);
    }

    @Test
    void climateOfFortyVariablesWithForcingEight() {
        TimeSeries s = Lorenz96.STANDARD.simulate(20000, 50, 7);
        double mean = 0;
        for (double v : s.values()) {
            mean += v;
        }
        mean /= s.values().length;
        double var = 0;
        for (double v : s.values()) {
            var += (v - mean) * (v - mean);
        }
        var /= s.values().length;
        // the long-run statistics of N = 40, F = 8 (e.g. Lorenz and Emanuel 1998): mean ~2.3, variance ~13
        assertThat(mean).isBetween(2.1, 2.6);
        assertThat(var).isBetween(11.5, 14.5);
        double[] again = Lorenz96.STANDARD.simulate(100, 5, 7).values();
        assertThat(Lorenz96.STANDARD.simulate(100, 5, 7).values()).isEqualTo(again);
        assertThat(Lorenz96.STANDARD.simulate(100, 5, 8).values()).isNotEqualTo(again);
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new Lorenz96(3, 8, 0.01, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("dims").hasMessageContaining("got 3");
        assertThatThrownBy(() -> new Lorenz96(40, 8, 0, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("step 0.0");
    }

    private static double[] integrate(Lorenz96 l, double[] start, double time, double h) {
        double[] x = start.clone();
        long steps = Math.round(time / h);
        for (long i = 0; i < steps; i++) {
            l.rk4(x, h);
        }
        return x;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }
}
