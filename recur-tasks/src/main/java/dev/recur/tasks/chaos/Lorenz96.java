package dev.recur.tasks.chaos;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.tasks.series.TimeSeries;

/**
 * The Lorenz-96 system (Lorenz 1996, "Predictability: a problem partly solved"):
 * {@code dx_i/dt = (x_{i+1} - x_{i-2}) x_{i-1} - x_i + F}, indices cyclic, integrated with the classical fourth-order
 * Runge-Kutta method. With {@code N = 40} and {@code F = 8} it is chaotic with largest Lyapunov exponent about 1.68
 * per time unit (Vlachas et al. 2020, "Backpropagation algorithms and Reservoir Computing in Recurrent Neural
 * Networks for the forecasting of complex spatiotemporal dynamics").
 *
 * @param dims {@code N}, at least 4
 * @param forcing {@code F}
 * @param step the Runge-Kutta step
 * @param stepsPerSample Runge-Kutta steps between recorded samples
 */
public record Lorenz96(int dims, double forcing, double step, int stepsPerSample) {
    /** The largest Lyapunov exponent for {@code N = 40, F = 8}. */
    public static final double LYAPUNOV_40_8 = 1.68;
    public static final Lorenz96 STANDARD = new Lorenz96(40, 8.0, 0.01, 5);

    public Lorenz96 {
        if (dims < 4) {
            throw new RecurException("lorenz96: dims expected >= 4, got " + dims);
        }
        if (!(step > 0) || stepsPerSample < 1 || !Double.isFinite(forcing)) {
            throw new RecurException("lorenz96: expected step > 0, steps per sample >= 1 and a finite forcing, got "
                    + "step " + step + ", steps per sample " + stepsPerSample + ", forcing " + forcing);
        }
    }

    /** The time between samples. */
    public double sampleInterval() {
        return step * stepsPerSample;
    }

    /** The largest Lyapunov exponent where it is known (N = 40, F = 8), else NaN. */
    public double lyapunovExponent() {
        return dims == 40 && forcing == 8.0 ? LYAPUNOV_40_8 : Double.NaN;
    }

    /** The right-hand side at {@code x}, into {@code out}. */
    public void derivative(double[] x, double[] out) {
        int n = x.length;
        for (int i = 0; i < n; i++) {
            double next = x[(i + 1) % n];
            double prev = x[(i + n - 1) % n];
            double prev2 = x[(i + n - 2) % n];
            out[i] = (next - prev2) * prev - x[i] + forcing;
        }
    }

    /** One Runge-Kutta step of length {@code h} from {@code x}, in place. */
    public void rk4(double[] x, double h) {
        int n = x.length;
        double[] k1 = new double[n];
        double[] k2 = new double[n];
        double[] k3 = new double[n];
        double[] k4 = new double[n];
        double[] tmp = new double[n];
        derivative(x, k1);
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + 0.5 * h * k1[i];
        }
        derivative(tmp, k2);
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + 0.5 * h * k2[i];
        }
        derivative(tmp, k3);
        for (int i = 0; i < n; i++) {
            tmp[i] = x[i] + h * k3[i];
        }
        derivative(tmp, k4);
        for (int i = 0; i < n; i++) {
            x[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    /**
     * A trajectory of {@code samples} samples, recorded after {@code warmup} time units (discarded, to reach the
     * attractor) from {@code x_i = F + 0.01 * noise} (the noise drawn from {@code seed}).
     */
    public TimeSeries simulate(int samples, double warmup, long seed) {
        Rng rng = new Rng(seed);
        double[] x = new double[dims];
        for (int i = 0; i < dims; i++) {
            x[i] = forcing + 0.01 * rng.nextGaussian();
        }
        long warm = Math.round(warmup / step);
        for (long s = 0; s < warm; s++) {
            rk4(x, step);
        }
        double[] out = new double[samples * dims];
        for (int t = 0; t < samples; t++) {
            System.arraycopy(x, 0, out, t * dims, dims);
            for (int s = 0; s < stepsPerSample; s++) {
                rk4(x, step);
            }
        }
        return new TimeSeries("lorenz96", out, dims, sampleInterval());
    }
}
