package dev.recur.cli.train;

import dev.recur.cli.Version;
import dev.recur.cli.report.ModelCard;
import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.TimeSeries;
import dev.recur.tasks.series.WindowBatch;
import dev.recur.train.Parameters;
import dev.recur.train.tasks.LocalForecaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code recur train --task lorenz96|kuramoto-sivashinsky|mackey-glass} and {@code recur train --csv FILE
 * --target COLUMN}: trains a {@link LocalForecaster} (one-step increments by teacher forcing over whole training
 * windows, closed-loop forecasts) into a run folder like a token task's, evaluating on the validation windows
 * against persistence ({@code val_nrmse}, {@code val_vpt} in {@code metrics.jsonl}).
 *
 * <p>On the ring systems (Lorenz-96, Kuramoto-Sivashinsky) the shared LSTM reads each site and its two
 * neighbours each side, standardised by the pooled mean and deviation (the parallel local scheme of Vlachas et
 * al. 2020). Elsewhere (Mackey-Glass, CSV columns) it reads one column at a time (radius 0), each standardised
 * by its own training mean and deviation, so one model serves columns of any units.
 */
public final class ForecastRun {
    /** The tasks whose sites sit on a ring with translation symmetry. */
    public static final Set<String> RING_TASKS = Set.of("lorenz96", "kuramoto-sivashinsky");
    /** Validation windows scored at each evaluation during training. */
    public static final int EVAL_WINDOWS = 64;

    private ForecastRun() {}

    /** The forecaster a run of {@code cfg} trains on {@code task}, freshly initialised from the run's seed. */
    public static LocalForecaster buildForecaster(TaskRunConfig cfg, ForecastTask task) {
        if (!cfg.model().equals("lstm")) {
            throw new RecurException("recur train --task " + cfg.task() + ": forecasting runs train the local LSTM "
                    + "forecaster, expected --model lstm, got '" + cfg.model() + "'");
        }
        ForecastWindows w = task.windows();
        if (w.validationWindowCount() == 0) {
            throw new RecurException("recur train --task " + cfg.task() + ": expected validation windows to score "
                    + "the forecasts, got none (validation share " + w.spec().validationFraction() + ")");
        }
        TimeSeries s = w.series();
        double[] mean = s.mean(0, w.cut());
        double[] std = w.scale();
        int radius = 0;
        if (RING_TASKS.contains(cfg.task())) {
            double m = 0;
            double sd = 0;
            for (int d = 0; d < s.dims(); d++) {
                m += mean[d] / s.dims();
                sd += std[d] / s.dims();
            }
            java.util.Arrays.fill(mean, m);
            java.util.Arrays.fill(std, sd);
            radius = Math.min(2, (s.dims() - 1) / 2);
        }
        return new LocalForecaster(mean, std, radius, cfg.width(), new Rng(cfg.seed()));
    }

    /**
     * Trains {@code model} (from {@link #buildForecaster}) into {@code runDir}, from scratch or resumed; returns
     * the exit code (130 when Ctrl-C stopped it).
     */
    static int run(TaskRunConfig cfg, ForecastTask task, LocalForecaster model, Map<String, Object> config,
                    Path runDir, boolean resume, PrintWriter console) throws IOException {
        ForecastWindows w = task.windows();
        int scored = cfg.scoredDims(w.series().dims());
        Parameters params = model.parameters();
        console.printf(Locale.ROOT, "recur train: local LSTM forecaster, %d units, %,d parameters, on %s (%d samples"
                        + " x %d dims, history %d, horizon %d; %d training starts, %d validation windows)%n",
                cfg.width(), params.numel(), cfg.task(), w.series().length(), w.series().dims(), w.spec().history(),
                w.spec().horizon(), w.trainingWindowCount(), w.validationWindowCount());
        console.println("run folder: " + runDir);
        console.println(task.persistenceReport(Math.min(EVAL_WINDOWS, w.validationWindowCount())));
        console.flush();
        ForecastScores[] last = new ForecastScores[1];
        RunLoop.Work work = new RunLoop.Work() {
            @Override
            public Tensor loss(long index) {
                WindowBatch b = w.trainingBatch(cfg.batch(), index);
                return model.oneStepLoss(Reshaping.concat(1, b.history(), b.future()));
            }

            @Override
            public long unitsPerStep() {
                return (long) cfg.batch() * w.spec().span();
            }

            @Override
            public Map<String, Double> evaluate() {
                last[0] = ForecastScores.of(model, task, scored, EVAL_WINDOWS);
                Map<String, Double> m = new LinkedHashMap<>();
                m.put("val_nrmse", last[0].nrmse());
                m.put("val_vpt", last[0].validTime());
                return m;
            }

            @Override
            public String describe(long step, double loss, Map<String, Double> scores) {
                ForecastScores s = last[0];
                return String.format(Locale.ROOT, "step %d: loss %.5f, validation NRMSE %.4f (persistence %.4f), "
                        + "valid prediction time %.3f %s (persistence %.3f)", step, loss, s.nrmse(),
                        s.persistenceNrmse(), s.validTime(), s.unit(), s.persistenceValidTime());
            }

            @Override
            public boolean reached(Map<String, Double> scores) {
                return false;
            }
        };
        RunLoop.Outcome end = RunLoop.run(cfg, params, work, runDir, resume, console,
                "recur train --task " + cfg.task() + ": local LSTM forecaster", "val_nrmse", "validation NRMSE");
        if (end.interrupted()) {
            return 130;
        }
        ForecastScores s = last[0];
        Map<String, Double> finalMetrics = new LinkedHashMap<>();
        finalMetrics.put("val_nrmse", s.nrmse());
        finalMetrics.put("val_vpt", s.validTime());
        finalMetrics.put("persistence_nrmse", s.persistenceNrmse());
        finalMetrics.put("persistence_vpt", s.persistenceValidTime());
        finalMetrics.put("train_loss", end.loss());
        finalMetrics.put("steps", (double) end.step());
        finalMetrics.put("samples_per_s", end.unitsPerSecond());
        new ModelCard("Local LSTM forecaster on " + cfg.task(), "LocalForecaster, " + cfg.width()
                + " LSTM units, radius " + (RING_TASKS.contains(cfg.task()) ? 2 : 0), params.numel(),
                (cfg.task().equals("csv") ? cfg.params().get("file") : "simulated " + cfg.task() + " "
                        + cfg.params() + " from seed " + cfg.seed())
                        + "; the sha256 is of the series values (float64, row-major)",
                DataFingerprint.of(task, cfg.batch()), cfg.seed(), config, finalMetrics, List.of(),
                Instant.now(), Version.VERSION).write(runDir);
        console.printf(Locale.ROOT, "validation (%d windows, horizon %d): NRMSE %.4f vs persistence %.4f; valid "
                        + "prediction time %.3f vs %.3f %s%n", s.windows(), s.horizon(), s.nrmse(),
                s.persistenceNrmse(), s.validTime(), s.persistenceValidTime(), s.unit());
        console.println(RunRecorder.wrote(runDir));
        console.flush();
        return 0;
    }
}
