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
import dev.recur.train.GradClip;
import dev.recur.train.Parameters;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import dev.recur.train.schedule.LearningRateSchedule;
import dev.recur.train.tasks.LocalForecaster;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
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

    static void run(TrainSettings settings, TaskRunConfig cfg, ForecastTask task, PrintWriter console)
            throws IOException {
        ForecastWindows w = task.windows();
        if (w.validationWindowCount() == 0) {
            throw new RecurException("recur train --task " + cfg.task() + ": expected validation windows to score "
                    + "the forecasts, got none (validation share " + w.spec().validationFraction() + ")");
        }
        LocalForecaster model = buildForecaster(cfg, task);
        int scored = cfg.scoredDims(w.series().dims());
        Path runDir = TaskRun.openRunFolder(settings);
        Parameters params = model.parameters();
        console.printf(Locale.ROOT, "recur train: local LSTM forecaster, %d units, %,d parameters, on %s (%d samples"
                        + " x %d dims, history %d, horizon %d; %d training starts, %d validation windows)%n",
                cfg.width(), params.numel(), cfg.task(), w.series().length(), w.series().dims(), w.spec().history(),
                w.spec().horizon(), w.trainingWindowCount(), w.validationWindowCount());
        console.println("run folder: " + runDir);
        console.println(task.persistenceReport(Math.min(EVAL_WINDOWS, w.validationWindowCount())));
        console.flush();

        AdamW opt = new AdamW(params, AdamWConfig.of(cfg.lr()).withWeightDecay(cfg.weightDecay()),
                AdamW.matricesOnly());
        LearningRateSchedule schedule = LearningRateSchedule.parse(cfg.schedule(), cfg.lr(), cfg.steps());
        long every = cfg.evalEvery() == 0 ? cfg.steps() : Math.min(cfg.evalEvery(), cfg.steps());
        long samples = 0;
        double loss = Double.NaN;
        ForecastScores last = null;
        try (RunRecorder rec = RunRecorder.start(runDir, cfg.steps(), console)) {
            for (long step = 1; step <= cfg.steps(); step++) {
                WindowBatch b = w.trainingBatch(cfg.batch(), step - 1);
                opt.zeroGrad();
                Tensor l = model.oneStepLoss(Reshaping.concat(1, b.history(), b.future()));
                l.backward();
                if (cfg.clip() > 0) {
                    GradClip.clipByGlobalNorm(params, cfg.clip());
                }
                double lr = schedule.at(step - 1);
                opt.setLearningRate(lr);
                opt.step();
                loss = l.item();
                samples += (long) b.batchSize() * w.spec().span();
                Map<String, Double> extras = new LinkedHashMap<>();
                boolean evaluate = step % every == 0 || step == cfg.steps();
                if (evaluate) {
                    last = ForecastScores.of(model, task, scored, EVAL_WINDOWS);
                    extras.put("val_nrmse", last.nrmse());
                    extras.put("val_vpt", last.validTime());
                }
                rec.step(step, loss, lr, rec.perSecond(samples), extras);
                if (evaluate) {
                    rec.say(String.format(Locale.ROOT, "step %d: loss %.5f, validation NRMSE %.4f (persistence %.4f),"
                            + " valid prediction time %.3f %s (persistence %.3f)", step, loss, last.nrmse(),
                            last.persistenceNrmse(), last.validTime(), last.unit(), last.persistenceValidTime()));
                }
                if (step == cfg.steps() || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0)) {
                    rec.checkpoint(params, opt, step, samples, cfg.seed());
                }
            }
            rec.finish(params, "recur train --task " + cfg.task() + ": local LSTM forecaster", "val_nrmse",
                    "validation NRMSE");
            Map<String, Double> finalMetrics = new LinkedHashMap<>();
            finalMetrics.put("val_nrmse", last.nrmse());
            finalMetrics.put("val_vpt", last.validTime());
            finalMetrics.put("persistence_nrmse", last.persistenceNrmse());
            finalMetrics.put("persistence_vpt", last.persistenceValidTime());
            finalMetrics.put("train_loss", loss);
            finalMetrics.put("steps", (double) cfg.steps());
            finalMetrics.put("samples_per_s", rec.perSecond(samples));
            new ModelCard("Local LSTM forecaster on " + cfg.task(), "LocalForecaster, " + cfg.width()
                    + " LSTM units, radius " + (RING_TASKS.contains(cfg.task()) ? 2 : 0), params.numel(),
                    (cfg.task().equals("csv") ? cfg.params().get("file") : "simulated " + cfg.task() + " "
                            + cfg.params() + " from seed " + cfg.seed())
                            + "; the sha256 is of the series values (float64, row-major)",
                    RunRecorder.sha256(seriesBytes(w.series())), cfg.seed(), settings.asJsonValues(), finalMetrics,
                    List.of(), Instant.now(), Version.VERSION).write(runDir);
        }
        console.printf(Locale.ROOT, "validation (%d windows, horizon %d): NRMSE %.4f vs persistence %.4f; valid "
                        + "prediction time %.3f vs %.3f %s%n", last.windows(), last.horizon(), last.nrmse(),
                last.persistenceNrmse(), last.validTime(), last.persistenceValidTime(), last.unit());
        console.println("wrote " + runDir + " (" + TrainSettings.FILE + ", " + RunRecorder.WEIGHTS
                + ", metrics.jsonl, loss.png, " + ModelCard.FILE + ", checkpoints/); score it with: recur eval --model "
                + runDir);
        console.flush();
    }

    private static byte[] seriesBytes(TimeSeries s) {
        ByteBuffer buf = ByteBuffer.allocate(8 * s.values().length);
        for (double v : s.values()) {
            buf.putDouble(v);
        }
        return buf.array();
    }
}
