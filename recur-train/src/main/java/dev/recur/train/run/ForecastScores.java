package dev.recur.train.run;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.series.ForecastMetrics;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.WindowBatch;
import dev.recur.train.tasks.Forecaster;
import java.util.Arrays;

/**
 * A forecaster's closed-loop scores on a task's validation windows (which start after the training part ends),
 * beside the persistence baseline's on the same windows: normalised RMSE and valid prediction time (in
 * Lyapunov times where the exponent is known, else in the series' time units), over the first
 * {@code scoredDims} dimensions (a CSV run's targets), and the plain RMSE in the data's own units.
 *
 * @param windows validation windows scored
 * @param horizon forecast steps per window
 */
public record ForecastScores(int windows, int horizon, double nrmse, double validTime, double persistenceNrmse,
                             double persistenceValidTime, String unit, double rmse, double persistenceRmse) {
    private static final int BATCH = 64;

    /** Scores at most {@code maxWindows} validation windows, in time order. */
    public static ForecastScores of(Forecaster model, ForecastTask task, int scoredDims, int maxWindows) {
        ForecastWindows w = task.windows();
        int count = Math.min(maxWindows, w.validationWindowCount());
        int horizon = w.spec().horizon();
        double[] scale = Arrays.copyOf(w.scale(), scoredDims);
        double dt = w.series().dt();
        double lyapunov = task.lyapunovExponent();
        double sq = 0;
        double vpt = 0;
        double pSq = 0;
        double pVpt = 0;
        double raw = 0;
        double pRaw = 0;
        int done = 0;
        for (int k = 0; done < count; k++) {
            WindowBatch b = w.validationBatch(BATCH, k);
            int rows = Math.min(b.batchSize(), count - done);
            Tensor history = Reshaping.slice(b.history(), 0, 0, rows);                    // [R, H, D]
            Tensor truth = scored(Reshaping.slice(b.future(), 0, 0, rows), scoredDims);   // [R, F, S]
            Tensor predicted = scored(model.forecast(history, horizon), scoredDims);
            Tensor persistence = scored(ForecastMetrics.persistence(history, horizon), scoredDims);
            double e = ForecastMetrics.nrmse(predicted, truth, scale);
            double p = ForecastMetrics.nrmse(persistence, truth, scale);
            sq += e * e * rows;
            pSq += p * p * rows;
            vpt += rows * ForecastMetrics.validPredictionTime(predicted, truth, scale,
                    ForecastMetrics.DEFAULT_THRESHOLD, dt, lyapunov);
            pVpt += rows * ForecastMetrics.validPredictionTime(persistence, truth, scale,
                    ForecastMetrics.DEFAULT_THRESHOLD, dt, lyapunov);
            raw += squaredError(predicted, truth);
            pRaw += squaredError(persistence, truth);
            done += rows;
        }
        long n = (long) done * horizon * scoredDims;
        String unit = Double.isNaN(lyapunov) ? "time units" : "Lyapunov times";
        return new ForecastScores(done, horizon, Math.sqrt(sq / done), vpt / done, Math.sqrt(pSq / done),
                pVpt / done, unit, Math.sqrt(raw / n), Math.sqrt(pRaw / n));
    }

    private static double squaredError(Tensor predicted, Tensor truth) {
        float[] p = predicted.data();
        float[] y = truth.data();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double e = (double) p[i] - y[i];
            sum += e * e;
        }
        return sum;
    }

    private static Tensor scored(Tensor x, int dims) {
        return x.dim(2) == dims ? x : Reshaping.slice(x, 2, 0, dims);
    }
}
