package dev.recur.cli.train;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.GradMode;
import dev.recur.tasks.Task;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.hmm.HmmTask;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.train.run.DataFingerprint;
import dev.recur.train.run.ForecastScores;
import dev.recur.train.run.Forecasters;
import dev.recur.train.run.RunSettings;
import dev.recur.train.run.TaskSource;
import dev.recur.train.run.TokenTaskRun;
import dev.recur.train.run.TrainingRun;
import dev.recur.train.run.TrainingRuns;
import dev.recur.train.tasks.Forecaster;
import dev.recur.train.tasks.TokenModel;
import dev.recur.train.tasks.TokenTaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code recur eval --model RUN_DIR} on a task or forecasting run: rebuilds the task and the model from the run's
 * {@value RunSettings#FILE}, loads {@code model.safetensors}, and prints the task's metrics on held-out data,
 * one {@code name value} line each after a header line. Token tasks: {@code answer_accuracy} (and
 * {@code answer_accuracy_<head>} per head of a multi-head task) over {@value #TOKEN_BATCHES} held-out batches,
 * and {@code val_loss} ({@code excess_loss} too for the HMM task). Forecasting: {@code rmse} (in the data's
 * units), {@code nrmse}, {@code valid_prediction_time} and the persistence baseline's figures on every validation
 * window.
 */
public final class TaskRunEval {
    /** Held-out batches scored by {@code recur eval} (more than training's {@value TokenTaskRun#EVAL_BATCHES}). */
    public static final int TOKEN_BATCHES = 16;

    private TaskRunEval() {}

    /**
     * The HMM task's own metric over the same held-out batches: the model's mean next-token loss minus the HMM's
     * (0 is the best any model can do).
     */
    static double excessLoss(HmmTask hmm, TokenModel model, int batchSize) {
        double sum = 0;
        try (var ignored = GradMode.noGrad()) {
            for (int k = 0; k < TOKEN_BATCHES; k++) {
                TokenBatch b = hmm.batch(batchSize, TokenTaskTraining.EVAL_OFFSET + k);
                sum += hmm.excessLoss(model.forward(b.inputs()), b);
            }
        }
        return sum / TOKEN_BATCHES;
    }

    /** Whether {@code dir} holds a task or forecasting run (its settings name a task or a CSV file). */
    public static boolean isTaskRun(Path dir) throws IOException {
        return TrainingRuns.isTaskRun(dir);
    }

    /** Scores the run in {@code dir} and prints the metrics. */
    public static void run(Path dir, PrintWriter out) throws IOException {
        RunSettings settings = RunSettings.read(dir);
        TaskSource source = TaskSource.from(settings);
        Path weights = dir.resolve(TrainingRun.WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            throw new NoSuchFileException(weights + " (the run has not finished; its checkpoints are in "
                    + dir.resolve("checkpoints") + ")");
        }
        Task task = source.create(settings.seed());
        DataFingerprint.check(dir, DataFingerprint.of(task, settings.batch()), source.dataName());
        if (task instanceof ForecastTask forecast) {
            Forecaster model = Forecasters.load(settings, source.task(), forecast, dir);
            int dims = forecast.windows().series().dims();
            ForecastScores s = ForecastScores.of(model, forecast, source.scoredDims(dims), Integer.MAX_VALUE);
            out.printf(Locale.ROOT, "%s: %s, %,d parameters; %d validation windows, horizon %d, "
                            + "%d of %d dims scored%n", source.task(), Forecasters.describe(settings, source.task()),
                    model.parameters().numel(), s.windows(), s.horizon(), source.scoredDims(dims), dims);
            out.printf(Locale.ROOT, "rmse %.6g%n", s.rmse());
            out.printf(Locale.ROOT, "persistence_rmse %.6g%n", s.persistenceRmse());
            out.printf(Locale.ROOT, "nrmse %.6f%n", s.nrmse());
            out.printf(Locale.ROOT, "persistence_nrmse %.6f%n", s.persistenceNrmse());
            out.printf(Locale.ROOT, "valid_prediction_time %.6f %s%n", s.validTime(), s.unit());
            out.printf(Locale.ROOT, "persistence_valid_prediction_time %.6f %s%n", s.persistenceValidTime(), s.unit());
        } else if (task instanceof TokenTask tokens) {
            TokenModel model = TokenTaskRun.load(settings, tokens, dir);
            TokenTaskTraining.Scores s = TokenTaskTraining.score(model, tokens, settings.batch(), TOKEN_BATCHES);
            out.printf(Locale.ROOT, "%s: %s, %,d parameters; %d held-out batches of %d (%,d answers)%n", source.task(),
                    settings.model(), model.parameters().numel(), TOKEN_BATCHES, settings.batch(), s.answers());
            out.printf(Locale.ROOT, "val_loss %.6f%n", s.loss());
            if (tokens instanceof HmmTask hmm) {
                out.printf(Locale.ROOT, "excess_loss %.6f%n", excessLoss(hmm, model, settings.batch()));
            }
            if (s.perHead().length > 1) {
                List<String> names = TokenTaskRun.headNames(tokens, s.perHead().length);
                for (int h = 0; h < names.size(); h++) {
                    out.printf(Locale.ROOT, "answer_accuracy_%s %.6f%n", names.get(h), s.perHead()[h]);
                }
            }
            out.printf(Locale.ROOT, "answer_accuracy %.6f%n", s.accuracy());
        } else {
            throw new RecurException("eval: task '" + source.task() + "' is neither a token nor a forecasting task");
        }
        out.flush();
    }
}
