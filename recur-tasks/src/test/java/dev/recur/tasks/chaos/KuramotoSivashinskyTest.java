package dev.recur.tasks.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.kernel.fft.Fft;
import dev.recur.core.RecurException;
import dev.recur.tasks.series.TimeSeries;
import org.junit.jupiter.api.Test;

class KuramotoSivashinskyTest {
    private static final KuramotoSivashinsky KS = KuramotoSivashinsky.STANDARD;

    /** A state on the attractor to start the comparisons from. */
    private static double[] attractorState() {
        TimeSeries s = KS.simulate(1, 150, 3);
        return s.values().clone();
    }

    /**
     * The reference: the same Fourier-space equation stepped by plain RK4 with a step far below the stiff
     * stability limit, every term written out here.
     */
    private static double[] rk4Reference(double[] u0, double time, double h) {
        int n = u0.length;
        double[] k = KS.wavenumbers();
        double[] vr = u0.clone();
        double[] vi = new double[n];
        Fft.transform(vr, vi, false);
        long steps = Math.round(time / h);
        double[][] kr = new double[4][n];
        double[][] ki = new double[4][n];
        double[] sr = new double[n];
        double[] si = new double[n];
        double[] weight = {0.5, 0.5, 1.0};
        for (long step = 0; step < steps; step++) {
            for (int stage = 0; stage < 4; stage++) {
                for (int j = 0; j < n; j++) {
                    double w = stage == 0 ? 0 : weight[stage - 1] * h;
                    sr[j] = vr[j] + (stage == 0 ? 0 : w * kr[stage - 1][j]);
                    si[j] = vi[j] + (stage == 0 ? 0 : w * ki[stage - 1][j]);
                }
                double[] ur = sr.clone();
                double[] ui = si.clone();
                Fft.transform(ur, ui, true);
                for (int j = 0; j < n; j++) {
                    ur[j] = ur[j] * ur[j];
                    ui[j] = 0;
                }
                Fft.transform(ur, ui, false);
                for (int j = 0; j < n; j++) {
                    double lin = k[j] * k[j] - Math.pow(k[j], 4);
                    // -(i k / 2) (a + i b) = (k b / 2) - i (k a / 2)
                    kr[stage][j] = lin * sr[j] + 0.5 * k[j] * ui[j];
                    ki[stage][j] = lin * si[j] - 0.5 * k[j] * ur[j];
                }
            }
            for (int j = 0; j < n; j++) {
                vr[j] += h / 6 * (kr[0][j] + 2 * kr[1][j] + 2 * kr[2][j] + kr[3][j]);
                vi[j] += h / 6 * (ki[0][j] + 2 * ki[1][j] + 2 * ki[2][j] + ki[3][j]);
            }
        }
        Fft.transform(vr, vi, true);
        return vr;
    }

    private static double[] etdrk4(double[] u0, double time, double h) {
        KuramotoSivashinsky ks = new KuramotoSivashinsky(KS.domain(), KS.grid(), h, 1);
        KuramotoSivashinsky.Stepper s = ks.stepper();
        s.set(u0);
        long steps = Math.round(time / h);
        for (long i = 0; i < steps; i++) {
            s.step();
        }
        double[] out = new double[u0.length];
        s.field(out, 0);
        return out;
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * ETDRK4 converges to the small-step Runge-Kutta solution. In this stiff regime the Cox-Matthews scheme shows
     * its known order reduction at large steps (observed error ratios per halving: ~6.5 at h = 0.25, ~8.4 at
     * h = 0.125, rising towards 16), so the test asks for nearly third order (a ratio above 7.5) between
     * h = 1/8 and 1/16.
     */
    @Test
    void etdrk4ConvergesToASmallStepRungeKutta() {
        double[] u0 = attractorState();
        double[] reference = rk4Reference(u0, 4.0, 1.0 / 4096);
        double eLarge = maxDiff(etdrk4(u0, 4.0, 0.25), reference);
        double e8 = maxDiff(etdrk4(u0, 4.0, 0.125), reference);
        double e16 = maxDiff(etdrk4(u0, 4.0, 0.0625), reference);
        double eSmall = maxDiff(etdrk4(u0, 4.0, 1.0 / 64), reference);
        assertThat(eLarge).as("h = 0.25").isLessThan(2e-4);
        assertThat(e8 / e16).as("errors %s and %s", e8, e16).isGreaterThan(7.5);
        assertThat(eSmall).as("h = 1/64").isLessThan(1e-7);
    }

    @Test
    void conservesTheMeanAndStaysOnABoundedChaoticAttractor() {
        TimeSeries s = KS.simulate(4000, 200, 11);
        double[] first = new double[KS.grid()];
        double maxAbs = 0;
        for (int t = 0; t < s.length(); t++) {
            double mean = 0;
            for (int j = 0; j < KS.grid(); j++) {
                mean += s.value(t, j);
                maxAbs = Math.max(maxAbs, Math.abs(s.value(t, j)));
            }
            assertThat(mean / KS.grid()).isCloseTo(0.0, within(1e-9));
            if (t == 0) {
                for (int j = 0; j < KS.grid(); j++) {
                    first[j] = s.value(t, j);
                }
            }
        }
        double[] std = s.std(0, s.length());
        // the L = 22 attractor: |u| up to about 3, a spatio-temporal standard deviation near 1.3
        assertThat(maxAbs).isBetween(1.5, 5.0);
        assertThat(std[0]).isBetween(0.8, 1.8);
    }

    @Test
    void rejectsGridsTheFftCannotTake() {
        assertThatThrownBy(() -> new KuramotoSivashinsky(22, 60, 0.25, 1)).isInstanceOf(RecurException.class)
                .hasMessageContaining("grid").hasMessageContaining("got 60");
    }
}
