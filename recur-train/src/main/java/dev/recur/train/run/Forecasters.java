package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.TimeSeries;
import dev.recur.train.ParameterFiles;
import dev.recur.train.tasks.Forecaster;
import dev.recur.train.tasks.LocalForecaster;
import dev.recur.train.tasks.StackForecaster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The forecaster a run's {@code --model} names: {@code lstm} (the default) is the {@link LocalForecaster}; any
 * other text is a layer spec for a {@link StackForecaster} of d_model {@code --width} (with {@code --mlp} SwiGLU
 * units per block).
 *
 * <p>On the ring systems (Lorenz-96, Kuramoto-Sivashinsky) every site is standardised by the pooled mean and
 * deviation, and the local LSTM reads each site and its two neighbours each side (the parallel local scheme of
 * Vlachas et al. 2020). Elsewhere (Mackey-Glass, CSV columns) each column is standardised by its own training
 * mean and deviation, and the local LSTM reads one column at a time (radius 0), so one model serves columns of
 * any units.
 */
public final class Forecasters {
    /** The tasks whose sites sit on a ring with translation symmetry. */
    public static final Set<String> RING_TASKS = Set.of("lorenz96", "kuramoto-sivashinsky");
    /** The model name of the local LSTM forecaster. */
    public static final String LOCAL_LSTM = "lstm";

    private Forecasters() {}

    /** The forecaster a run of {@code settings} trains on {@code task}, freshly initialised from the run's seed. */
    public static Forecaster build(RunSettings settings, String taskName, ForecastTask task) {
        ForecastWindows w = task.windows();
        if (w.validationWindowCount() == 0) {
            throw new RecurException("recur train --task " + taskName + ": expected validation windows to score "
                    + "the forecasts, got none (validation share " + w.spec().validationFraction() + ")");
        }
        TimeSeries s = w.series();
        double[] mean = s.mean(0, w.cut());
        double[] std = w.scale().clone();
        int radius = 0;
        if (RING_TASKS.contains(taskName)) {
            double m = 0;
            double sd = 0;
            for (int d = 0; d < s.dims(); d++) {
                m += mean[d] / s.dims();
                sd += std[d] / s.dims();
            }
            Arrays.fill(mean, m);
            Arrays.fill(std, sd);
            radius = Math.min(2, (s.dims() - 1) / 2);
        }
        Rng rng = new Rng(settings.seed());
        if (settings.model().equals(LOCAL_LSTM)) {
            return new LocalForecaster(mean, std, radius, settings.width(), rng);
        }
        try {
            return new StackForecaster(settings.model(), mean, std, settings.width(), settings.mlp(), rng);
        } catch (RecurException e) {
            throw new RecurException("recur train --task " + taskName + ": --model '" + settings.model() + "': expected"
                    + " lstm (the local LSTM forecaster) or a layer spec: " + e.getMessage(), e);
        }
    }

    /** The trained forecaster of a finished run folder, its weights loaded. */
    public static Forecaster load(RunSettings settings, String taskName, ForecastTask task, Path runDir)
            throws IOException {
        Forecaster model = build(settings, taskName, task);
        ParameterFiles.load(model.parameters(), runDir.resolve(TrainingRun.WEIGHTS));
        return model;
    }

    /** The forecaster in a few words. */
    public static String describe(RunSettings settings, String taskName) {
        if (settings.model().equals(LOCAL_LSTM)) {
            return "local LSTM forecaster, " + settings.width() + " units, radius "
                    + (RING_TASKS.contains(taskName) ? 2 : 0);
        }
        return "layer-spec forecaster " + settings.model() + ", d_model " + settings.width()
                + (settings.mlp() > 0 ? ", mlp " + settings.mlp() : "");
    }
}
