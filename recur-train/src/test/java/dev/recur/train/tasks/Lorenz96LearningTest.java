package dev.recur.train.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.chaos.Lorenz96;
import dev.recur.tasks.series.ForecastMetrics;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.TimeSeries;
import dev.recur.tasks.series.WindowBatch;
import dev.recur.tasks.series.WindowSpec;
import dev.recur.train.GradClip;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A local LSTM forecaster beats persistence on Lorenz-96 (N = 40, F = 8): on the validation windows, which
 * start after the training part ends, its closed-loop normalised RMSE over 40 steps (2 time units, 3.4
 * Lyapunov times) and its valid prediction time are compared with those of repeating the last sample, both
 * computed by {@code ForecastMetrics} against the simulated trajectory.
 */
class Lorenz96LearningTest {
    private static final int HORIZON = 40;

    private record Scores(double nrmse, double vpt, double persistenceNrmse, double persistenceVpt) {}

    private static Scores learn(int steps, int batch, int hidden) {
        TimeSeries series = Lorenz96.STANDARD.simulate(6000, 100, 1);
        ForecastWindows windows = new ForecastWindows(series, new WindowSpec(20, HORIZON, 0.2), 1);
        double mean = 0;
        double std = 0;
        double[] mu = series.mean(0, windows.cut());
        for (int d = 0; d < series.dims(); d++) {
            mean += mu[d] / series.dims();
            std += windows.scale()[d] / series.dims();
        }
        LocalForecaster model = new LocalForecaster(series.dims(), mean, std, 2, hidden, new Rng(1));
        AdamW opt = new AdamW(model.parameters(), AdamWConfig.of(3e-3).withWeightDecay(0));
        for (int k = 0; k < steps; k++) {
            WindowBatch b = windows.trainingBatch(batch, k);
            opt.zeroGrad();
            model.oneStepLoss(Reshaping.concat(1, b.history(), b.future())).backward();
            GradClip.clipByGlobalNorm(model.parameters(), 1.0);
            opt.step();
        }
        WindowBatch v = windows.validationBatch(Math.min(64, windows.validationWindowCount()), 0);
        Tensor predicted = model.forecast(v.history(), HORIZON);
        Tensor persistence = ForecastMetrics.persistence(v.history(), HORIZON);
        double lyapunov = Lorenz96.STANDARD.lyapunovExponent();
        Scores s = new Scores(
                ForecastMetrics.nrmse(predicted, v.future(), windows.scale()),
                ForecastMetrics.validPredictionTime(predicted, v.future(), windows.scale(), 0.5, series.dt(), lyapunov),
                ForecastMetrics.nrmse(persistence, v.future(), windows.scale()),
                ForecastMetrics.validPredictionTime(persistence, v.future(), windows.scale(), 0.5, series.dt(),
                        lyapunov));
        System.out.printf("lorenz96 after %d steps: NRMSE %.3f (persistence %.3f), valid time %.3f Lyapunov times "
                + "(persistence %.3f)%n", steps, s.nrmse(), s.persistenceNrmse(), s.vpt(), s.persistenceVpt());
        return s;
    }

    @Test
    void shortTrainingAlreadyBeatsPersistence() {
        Scores s = learn(40, 4, 16);
        assertTrue(s.nrmse() < 0.9 * s.persistenceNrmse(), "NRMSE " + s.nrmse() + " vs " + s.persistenceNrmse());
        assertTrue(s.vpt() > 1.5 * s.persistenceVpt(), "valid time " + s.vpt() + " vs " + s.persistenceVpt());
    }

    @Test
    @Tag("slow")
    void beatsPersistenceByAWideMargin() {
        Scores s = learn(400, 8, 32);
        assertTrue(s.nrmse() < 0.7 * s.persistenceNrmse(), "NRMSE " + s.nrmse() + " vs " + s.persistenceNrmse());
        assertTrue(s.vpt() > 5 * s.persistenceVpt(), "valid time " + s.vpt() + " vs " + s.persistenceVpt());
    }
}
