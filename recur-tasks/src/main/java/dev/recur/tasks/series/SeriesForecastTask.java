package dev.recur.tasks.series;

/**
 * A forecasting task over a given series: the chaotic systems and user CSV files both become one of these.
 */
public final class SeriesForecastTask implements ForecastTask {
    private final String name;
    private final ForecastWindows windows;
    private final double lyapunovExponent;

    /**
     * @param lyapunovExponent the largest Lyapunov exponent per time unit, or NaN when not known
     */
    public SeriesForecastTask(String name, TimeSeries series, WindowSpec spec, double lyapunovExponent, long seed) {
        this.name = name;
        this.windows = new ForecastWindows(series, spec, seed);
        this.lyapunovExponent = lyapunovExponent;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ForecastWindows windows() {
        return windows;
    }

    @Override
    public double lyapunovExponent() {
        return lyapunovExponent;
    }
}
