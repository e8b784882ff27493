package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.tasks.Task;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.series.ForecastTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run API that {@code recur train} calls: {@link #start} builds a new run from its settings (checking every
 * setting, the data and the model before its folder is made, then saving the settings there), {@link #resume}
 * rebuilds a run from its folder's saved settings. Then {@link TrainingRun#train} trains it.
 */
public final class TrainingRuns {
    private TrainingRuns() {}

    /** A new run: a task or CSV run when the settings name one, else a language model. */
    public static TrainingRun start(RunSettings settings) throws IOException {
        if (!TaskSource.describedBy(settings)) {
            return LanguageModelRun.start(settings);
        }
        settings.loopConfig();
        TaskSource source = TaskSource.from(settings);
        Task task = source.create(settings.seed());
        if (task instanceof ForecastTask forecast) {
            Forecasters.build(settings, source.task(), forecast);
        } else {
            TokenTaskRun.buildModel(settings, tokenTask(source, task));
        }
        Path runDir = openFolder(settings);
        RunSettings saved = settings.with("out", runDir);
        saved.write(runDir);
        DataFingerprint.write(runDir, DataFingerprint.of(task, settings.batch()));
        return task instanceof ForecastTask forecast ? new ForecastRun(saved, runDir, false, source, forecast)
                : new TokenTaskRun(saved, runDir, false, source, (TokenTask) task);
    }

    /**
     * The run in {@code runDir}, to continue from its newest verified checkpoint with its saved settings;
     * {@code steps} > 0 moves its end (the schedule is laid out over the new count, and the settings file says so).
     */
    public static TrainingRun resume(Path runDir, long steps) throws IOException {
        RunSettings settings = RunSettings.read(runDir);
        if (steps > 0) {
            settings = settings.withSteps(steps);
        }
        TrainingRun run;
        if (!TaskSource.describedBy(settings)) {
            run = LanguageModelRun.resume(settings, runDir);
        } else {
            settings.loopConfig();
            TaskSource source = TaskSource.from(settings);
            Task task = source.create(settings.seed());
            DataFingerprint.check(runDir, DataFingerprint.of(task, settings.batch()), source.dataName());
            run = task instanceof ForecastTask forecast ? new ForecastRun(settings, runDir, true, source, forecast)
                    : new TokenTaskRun(settings, runDir, true, source, tokenTask(source, task));
        }
        if (steps > 0) {
            settings.write(runDir);
        }
        return run;
    }

    /** Whether {@code dir} holds a task or forecasting run (its settings name a task or a CSV file). */
    public static boolean isTaskRun(Path dir) throws IOException {
        return Files.isRegularFile(dir.resolve(RunSettings.FILE)) && TaskSource.describedBy(RunSettings.read(dir));
    }

    static TokenTask tokenTask(TaskSource source, Task task) {
        if (!(task instanceof TokenTask tokens)) {
            throw new RecurException("recur train --task: '" + source.task() + "' is neither a token nor a"
                    + " forecasting task");
        }
        return tokens;
    }

    /** Creates (or checks) the folder the settings name under {@code out}, or a new one under {@code runs/}. */
    static Path openFolder(RunSettings settings) throws IOException {
        Path out = settings.path("out");
        if (out == null) {
            return RunFolders.createNew(Path.of("runs"));
        }
        RunFolders.requireEmpty(out);
        Files.createDirectories(out);
        return out;
    }
}
