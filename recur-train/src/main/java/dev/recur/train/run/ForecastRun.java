package dev.recur.train.run;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.tasks.series.ForecastWindows;
import dev.recur.tasks.series.WindowBatch;
import dev.recur.train.Parameters;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.StepWork;
import dev.recur.train.tasks.Forecaster;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A forecaster ({@link Forecasters}) trained on a forecasting task ({@code lorenz96}, {@code kuramoto-sivashinsky},
 * {@code mackey-glass}) or a CSV file: one-step increments by teacher forcing over whole training windows,
 * evaluated closed-loop on {@value #EVAL_WINDOWS} validation windows against persistence ({@code val_nrmse},
 * {@code val_vpt} in {@code metrics.jsonl}).
 */
public final class ForecastRun extends TrainingRun {
    /** Validation windows scored at each evaluation during training. */
    public static final int EVAL_WINDOWS = 64;

    private final TaskSource source;
    private final ForecastTask task;
    private final Forecaster model;
    private final Work work;

    ForecastRun(RunSettings settings, Path runDir, boolean resume, TaskSource source, ForecastTask task) {
        super(settings, runDir, resume);
        this.source = source;
        this.task = task;
        this.model = Forecasters.build(settings, source.task(), task);
        this.work = new Work();
    }

    @Override
    public String headline() {
        ForecastWindows w = task.windows();
        return String.format(Locale.ROOT, "recur train: %s, %,d parameters, on %s (%d samples x %d dims, history %d,"
                        + " horizon %d; %d training starts, %d validation windows)%n%s",
                Forecasters.describe(settings(), source.task()), parameterCount(), source.task(), w.series().length(),
                w.series().dims(), w.spec().history(), w.spec().horizon(), w.trainingWindowCount(),
                w.validationWindowCount(), task.persistenceReport(Math.min(EVAL_WINDOWS, w.validationWindowCount())));
    }

    @Override
    public String title() {
        return (settings().model().equals(Forecasters.LOCAL_LSTM) ? "Local LSTM" : "Layer-spec " + settings().model())
                + " forecaster on " + source.task();
    }

    @Override
    public String architecture() {
        return Forecasters.describe(settings(), source.task());
    }

    @Override
    public String dataSource() {
        return (source.task().equals("csv") ? source.params().get("file") : "simulated " + source.task() + " "
                + source.params() + " from seed " + settings().seed())
                + "; the sha256 is of the series values (float64, row-major)";
    }

    @Override
    public String dataSha256() {
        return DataFingerprint.of(task, settings().batch());
    }

    @Override
    public List<String> plottedScore() {
        return List.of("val_nrmse", "validation NRMSE");
    }

    @Override
    public Map<String, Double> finalMetrics(LoopResult r) {
        ForecastScores s = work.last;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("val_nrmse", s.nrmse());
        m.put("val_vpt", s.validTime());
        m.put("persistence_nrmse", s.persistenceNrmse());
        m.put("persistence_vpt", s.persistenceValidTime());
        m.put("train_loss", r.lastLoss());
        m.put("steps", (double) r.step());
        m.put("samples_per_s", r.unitsPerSecond());
        return m;
    }

    @Override
    public List<String> summary(LoopResult r) {
        ForecastScores s = work.last;
        return List.of(String.format(Locale.ROOT, "validation (%d windows, horizon %d): NRMSE %.4f vs persistence %.4f;"
                        + " valid prediction time %.3f vs %.3f %s", s.windows(), s.horizon(), s.nrmse(),
                s.persistenceNrmse(), s.validTime(), s.persistenceValidTime(), s.unit()));
    }

    @Override
    protected StepWork work() {
        return work;
    }

    /** A forecaster's step: the one-step loss over a batch of whole training windows. */
    private final class Work implements StepWork {
        private final ForecastWindows windows = task.windows();
        private final int scored = source.scoredDims(windows.series().dims());
        private ForecastScores last;

        @Override
        public Parameters parameters() {
            return model.parameters();
        }

        @Override
        public Tensor loss(long index) {
            WindowBatch b = windows.trainingBatch(settings().batch(), index);
            return model.oneStepLoss(Reshaping.concat(1, b.history(), b.future()));
        }

        @Override
        public long unitsPerStep() {
            return (long) settings().batch() * windows.spec().span();
        }

        @Override
        public Map<String, Double> evaluate() {
            last = ForecastScores.of(model, task, scored, EVAL_WINDOWS);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("val_nrmse", last.nrmse());
            m.put("val_vpt", last.validTime());
            return m;
        }

        @Override
        public String describe(long step, double loss, Map<String, Double> scores) {
            return String.format(Locale.ROOT, "step %d: loss %.5f, validation NRMSE %.4f (persistence %.4f), "
                    + "valid prediction time %.3f %s (persistence %.3f)", step, loss, last.nrmse(),
                    last.persistenceNrmse(), last.validTime(), last.unit(), last.persistenceValidTime());
        }

        @Override
        public Map<String, Long> seeds() {
            return Map.of("data", settings().seed());
        }
    }
}
