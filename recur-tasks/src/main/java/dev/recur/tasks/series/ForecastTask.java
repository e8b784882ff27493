package dev.recur.tasks.series;

import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.Task;

/**
 * A forecasting task: a series cut into (history, future) windows with a split by time, scored by
 * {@link ForecastMetrics}. The series is generated (or read) once when the task is built.
 */
public interface ForecastTask extends Task {
    ForecastWindows windows();

    /** The largest Lyapunov exponent per time unit of the system, or NaN where it is not known. */
    double lyapunovExponent();

    /** A report line of the persistence baseline on the first validation batch (or training, without one). */
    default String persistenceReport(int batchSize) {
        ForecastWindows w = windows();
        WindowBatch batch = w.validationWindowCount() > 0
                ? w.validationBatch(batchSize, 0)
                : w.trainingBatch(batchSize, 0);
        Tensor p = ForecastMetrics.persistence(batch.history(), w.spec().horizon());
        double nrmse = ForecastMetrics.nrmse(p, batch.future(), w.scale());
        double vpt = ForecastMetrics.validPredictionTime(p, batch.future(), w.scale(),
                ForecastMetrics.DEFAULT_THRESHOLD, w.series().dt(), lyapunovExponent());
        String unit = Double.isNaN(lyapunovExponent()) ? " time units" : " Lyapunov times";
        return String.format("persistence baseline on %d windows: NRMSE %.4f, valid prediction time %.3f%s",
                batch.batchSize(), nrmse, vpt, unit);
    }

    @Override
    default String renderSample() {
        ForecastWindows w = windows();
        TimeSeries s = w.series();
        WindowBatch batch = w.trainingBatch(1, 0);
        StringBuilder out = new StringBuilder();
        out.append(String.format("series: %d samples x %d dims, dt %s; training part [0, %d), validation [%d, %d)%n",
                s.length(), s.dims(), s.dt(), w.cut(), w.cut(), s.length()));
        out.append(String.format("windows: history %d, horizon %d; %d training starts, %d validation windows%n",
                w.spec().history(), w.spec().horizon(), w.trainingWindowCount(), w.validationWindowCount()));
        int d = s.dims();
        int shown = Math.min(d, 6);
        out.append("window starting at ").append(batch.starts()[0]).append(", dim 0..").append(shown - 1)
                .append(": last history sample ");
        float[] h = batch.history().data();
        int last = (w.spec().history() - 1) * d;
        for (int j = 0; j < shown; j++) {
            out.append(String.format("%.4f ", h[last + j]));
        }
        out.append("| first future sample ");
        for (int j = 0; j < shown; j++) {
            out.append(String.format("%.4f ", batch.future().data()[j]));
        }
        out.append('\n').append(persistenceReport(Math.max(1, Math.min(64, w.validationWindowCount())))).append('\n');
        return out.toString();
    }
}
