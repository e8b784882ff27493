package dev.recur.tasks.series;

import dev.recur.core.RecurException;

/**
 * A multivariate time series sampled at a fixed interval: {@code length} samples of {@code dims} values, stored
 * row-major ({@code [length, dims]}).
 *
 * @param name where the series came from, for messages
 * @param values {@code [length, dims]}, row-major; not copied
 * @param dims values per sample
 * @param dt the time between samples, in the series' own time unit
 */
public record TimeSeries(String name, double[] values, int dims, double dt) {
    public TimeSeries {
        if (dims < 1 || values.length % dims != 0 || values.length == 0) {
            throw new RecurException(name + ": expected a non-empty [length, dims] series, got " + values.length
                    + " values for " + dims + " dims");
        }
        if (!(dt > 0) || !Double.isFinite(dt)) {
            throw new RecurException(name + ": expected a sample interval dt > 0, got " + dt);
        }
    }

    public int length() {
        return values.length / dims;
    }

    public double value(int t, int d) {
        return values[t * dims + d];
    }

    /** The mean of each dimension over samples {@code [from, to)}. */
    public double[] mean(int from, int to) {
        double[] m = new double[dims];
        for (int t = from; t < to; t++) {
            for (int d = 0; d < dims; d++) {
                m[d] += values[t * dims + d];
            }
        }
        for (int d = 0; d < dims; d++) {
            m[d] /= to - from;
        }
        return m;
    }

    /** The standard deviation of each dimension over samples {@code [from, to)} (population, divisor n). */
    public double[] std(int from, int to) {
        double[] m = mean(from, to);
        double[] s = new double[dims];
        for (int t = from; t < to; t++) {
            for (int d = 0; d < dims; d++) {
                double e = values[t * dims + d] - m[d];
                s[d] += e * e;
            }
        }
        for (int d = 0; d < dims; d++) {
            s[d] = Math.sqrt(s[d] / (to - from));
        }
        return s;
    }
}
