package dev.recur.tasks.chaos;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.tasks.series.TimeSeries;

/**
 * The Mackey-Glass delay differential equation (Mackey and Glass 1977, "Oscillation and chaos in physiological
 * control systems"): {@code dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t)}; with {@code beta = 0.2},
 * {@code gamma = 0.1}, {@code n = 10} and {@code tau = 17} it is chaotic (the usual benchmark setting).
 *
 * <p>Integrated with the classical Runge-Kutta method on a grid where {@code tau} is a whole number of steps: the
 * delayed values at the grid points are stored samples, and at the half steps they are the four-point cubic
 * interpolation {@code (-x[j-1] + 9 x[j] + 9 x[j+1] - x[j+2]) / 16}, which keeps the scheme fourth-order accurate in
 * the delayed term. The solution's derivatives jump at {@code t = 0, tau, 2 tau, ...} (the history is constant);
 * next to those points the interpolation takes its four points from one side, so the order holds there too.
 * Before time 0 the history is a constant drawn from the seed in [0.9, 1.5]. The largest Lyapunov exponent is not
 * fixed here, so valid prediction times are reported in time units.
 *
 * @param step the Runge-Kutta step; {@code tau / step} must be a whole number, at least 3
 * @param stepsPerSample steps between recorded samples
 */
public record MackeyGlass(double beta, double gamma, double power, double tau, double step, int stepsPerSample) {
    public static final MackeyGlass STANDARD = new MackeyGlass(0.2, 0.1, 10, 17, 0.1, 10);

    public MackeyGlass {
        if (!(step > 0) || !(tau > 0) || stepsPerSample < 1) {
            throw new RecurException("mackey-glass: expected step > 0, tau > 0, steps per sample >= 1, got step " + step
                    + ", tau " + tau + ", steps per sample " + stepsPerSample);
        }
        double ratio = tau / step;
        if (Math.abs(ratio - Math.rint(ratio)) > 1e-9 * ratio || Math.rint(ratio) < 3) {
            throw new RecurException("mackey-glass: expected tau / step to be a whole number >= 3, got tau " + tau
                    + ", step " + step);
        }
    }

    public double sampleInterval() {
        return step * stepsPerSample;
    }

    private double rhs(double x, double delayed) {
        return beta * delayed / (1 + Math.pow(delayed, power)) - gamma * x;
    }

    /**
     * The solution on the step grid from history {@code x0} (constant before 0) over {@code steps} steps;
     * element {@code i} is {@code x(i * step)}.
     */
    public double[] integrate(double x0, int steps) {
        int delay = (int) Math.rint(tau / step);
        // index 0 of the buffer is time -(delay + 1) * step, so x(i * step) sits at i + delay + 1
        int origin = delay + 1;
        double[] x = new double[origin + steps + 1];
        java.util.Arrays.fill(x, 0, origin + 1, x0);
        double h = step;
        for (int i = 0; i < steps; i++) {
            int now = origin + i;
            int j = now - delay;
            double d0 = x[j];
            double d1 = x[j + 1];
            double dHalf;
            // the solution is not smooth at t = m * tau; the stencil must not straddle such a point
            if (j >= origin && (j - origin) % delay == 0) {
                dHalf = (5 * d0 + 15 * d1 - 5 * x[j + 2] + x[j + 3]) / 16;
            } else if (j + 1 >= origin && (j + 1 - origin) % delay == 0) {
                dHalf = (5 * d1 + 15 * d0 - 5 * x[j - 1] + x[j - 2]) / 16;
            } else {
                dHalf = (-x[j - 1] + 9 * d0 + 9 * d1 - x[j + 2]) / 16;
            }
            double xi = x[now];
            double k1 = rhs(xi, d0);
            double k2 = rhs(xi + 0.5 * h * k1, dHalf);
            double k3 = rhs(xi + 0.5 * h * k2, dHalf);
            double k4 = rhs(xi + h * k3, d1);
            x[now + 1] = xi + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        return java.util.Arrays.copyOfRange(x, origin, origin + steps + 1);
    }

    /** {@code samples} samples recorded after {@code warmup} time units (discarded, to reach the attractor). */
    public TimeSeries simulate(int samples, double warmup, long seed) {
        double x0 = 0.9 + 0.6 * new Rng(seed).nextDouble();
        int warm = (int) Math.round(warmup / step);
        double[] path = integrate(x0, warm + (samples - 1) * stepsPerSample);
        double[] out = new double[samples];
        for (int t = 0; t < samples; t++) {
            out[t] = path[warm + t * stepsPerSample];
        }
        return new TimeSeries("mackey-glass", out, 1, sampleInterval());
    }
}
