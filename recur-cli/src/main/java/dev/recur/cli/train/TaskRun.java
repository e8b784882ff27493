package dev.recur.cli.train;

import dev.recur.cli.Version;
import dev.recur.cli.report.ModelCard;
import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.Task;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.memory.MemoryTask;
import dev.recur.tasks.series.ForecastTask;
import dev.recur.train.Parameters;
import dev.recur.train.tasks.AnswerLoss;
import dev.recur.train.tasks.LocalForecaster;
import dev.recur.train.tasks.TokenModel;
import dev.recur.train.tasks.TokenModelSpec;
import dev.recur.train.tasks.TokenModels;
import dev.recur.train.tasks.TokenTaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code recur train --task NAME [-p KEY=VALUE]... [--model KIND]}: trains a token model of the
 * {@link TokenModels} factory on a token task of the registry (single- or multi-head) with AdamW, the run's
 * schedule and clipping, into a run folder: {@value TrainSettings#FILE}, {@code metrics.jsonl} (evaluation rows
 * add {@code answer_accuracy}, per-head accuracies and {@code val_loss}), {@code checkpoints/},
 * {@code model.safetensors}, {@code loss.png} and {@code MODEL_CARD.md}. Training batch {@code k} is the task's
 * batch {@code k}; evaluations score held-out batches. It stops early at 100% held-out accuracy. Forecasting
 * tasks go to {@link ForecastRun}.
 */
public final class TaskRun {
    /** Held-out batches per evaluation during training. */
    public static final int EVAL_BATCHES = 4;

    private TaskRun() {}

    /**
     * Runs the task or forecasting run the settings describe; the settings are saved into the run folder.
     * Returns the exit code: 0, or 130 when Ctrl-C stopped it (after a checkpoint).
     */
    public static int run(TrainSettings settings, PrintWriter console) throws IOException {
        TaskRunConfig cfg = TaskRunConfig.from(settings.flat(), "recur train");
        Task task = cfg.createTask();
        if (task instanceof ForecastTask forecast) {
            LocalForecaster model = ForecastRun.buildForecaster(cfg, forecast);
            Path runDir = openRunFolder(settings);
            DataFingerprint.write(runDir, DataFingerprint.of(forecast, cfg.batch()));
            return ForecastRun.run(cfg, forecast, model, settings.asJsonValues(), runDir, false, console);
        }
        TokenTask tokens = tokenTask(cfg, task);
        TokenModel model = buildModel(cfg, tokens);
        Path runDir = openRunFolder(settings);
        DataFingerprint.write(runDir, DataFingerprint.of(tokens, cfg.batch()));
        return train(cfg, tokens, model, runDir, settings.asJsonValues(), false, console);
    }

    /**
     * Continues the task or forecasting run in {@code runDir} from its newest verified checkpoint, with its saved
     * configuration; {@code steps} > 0 moves its end (the schedule is laid out over the new count). Returns the
     * exit code, as {@link #run} does.
     */
    public static int resume(Path runDir, long steps, PrintWriter console) throws IOException {
        Map<String, Object> saved = TrainSettings.readJson(runDir);
        if (steps > 0) {
            saved.put("steps", steps);
            TrainSettings.writeJson(runDir, saved);
        }
        TaskRunConfig cfg = TaskRunConfig.read(runDir);
        Task task = cfg.createTask();
        DataFingerprint.check(runDir, DataFingerprint.of(task, cfg.batch()), dataName(cfg));
        if (task instanceof ForecastTask forecast) {
            return ForecastRun.run(cfg, forecast, ForecastRun.buildForecaster(cfg, forecast), saved, runDir, true,
                    console);
        }
        TokenTask tokens = tokenTask(cfg, task);
        return train(cfg, tokens, buildModel(cfg, tokens), runDir, saved, true, console);
    }

    /** What the data of a run is, for messages: the CSV file, or the task and its parameters. */
    static String dataName(TaskRunConfig cfg) {
        return cfg.task().equals("csv") ? cfg.params().get("file") : "task " + cfg.task() + " " + cfg.params();
    }

    private static TokenTask tokenTask(TaskRunConfig cfg, Task task) {
        if (!(task instanceof TokenTask tokens)) {
            throw new RecurException("recur train --task: '" + cfg.task() + "' is neither a token nor a forecasting"
                    + " task");
        }
        return tokens;
    }

    /** The model a run of {@code cfg} trains on {@code task}, freshly initialised from the run's seed. */
    public static TokenModel buildModel(TaskRunConfig cfg, TokenTask task) {
        TokenBatch probe = task.batch(1, 0);
        int heads = probe.targets().rank() == 3 ? probe.targets().dim(2) : 1;
        return TokenModels.create(cfg.model(), new TokenModelSpec(task.vocabSize(), task.targetClasses(), heads,
                cfg.width(), cfg.layers(), cfg.heads()), new Rng(cfg.seed()));
    }

    /** Names for a task's output heads: {@code n<N>} for the memory tasks' lengths, else {@code head<h>}. */
    public static List<String> headNames(TokenTask task, int heads) {
        if (task instanceof MemoryTask m && m.config().ns().length == heads) {
            return java.util.Arrays.stream(m.config().ns()).mapToObj(n -> "n" + n).toList();
        }
        return java.util.stream.IntStream.range(0, heads).mapToObj(h -> "head" + h).toList();
    }

    /** Creates (or checks) the run folder and writes the settings into it. */
    static Path openRunFolder(TrainSettings settings) throws IOException {
        Object out = settings.get("out");
        Path runDir;
        if (out == null) {
            runDir = RunFolders.createNew(Path.of("runs"));
        } else {
            runDir = (Path) out;
            RunFolders.requireEmpty(runDir);
            Files.createDirectories(runDir);
        }
        settings.override("out", runDir);
        settings.write(runDir);
        return runDir;
    }

    static String describe(TaskRunConfig cfg) {
        return String.format(Locale.ROOT, "width %d, layers %d", cfg.width(), cfg.layers())
                + (cfg.model().equals("attention") ? ", heads " + cfg.heads() : "");
    }

    private static int train(TaskRunConfig cfg, TokenTask task, TokenModel model, Path runDir,
                              Map<String, Object> config, boolean resume, PrintWriter console) throws IOException {
        Parameters params = model.parameters();
        console.printf(Locale.ROOT, "recur train: %s on %s, %s, %,d parameters%n", cfg.model(), cfg.task(),
                describe(cfg), params.numel());
        console.println("run folder: " + runDir);
        console.flush();
        TokenWork work = new TokenWork(cfg, task, model);
        RunLoop.Outcome end = RunLoop.run(cfg, params, work, runDir, resume, console,
                "recur train --task " + cfg.task() + ": " + cfg.model(), "answer_accuracy", "held-out answer accuracy");
        if (end.interrupted()) {
            return 130;
        }
        Map<String, Double> finalMetrics = new LinkedHashMap<>(end.scores());
        finalMetrics.put("train_loss", end.loss());
        finalMetrics.put("steps", (double) end.step());
        finalMetrics.put("tokens_seen", (double) end.units());
        finalMetrics.put("tokens_per_s", end.unitsPerSecond());
        new ModelCard(cfg.model() + " on the " + cfg.task() + " task",
                cfg.model() + " (" + TokenModels.find(cfg.model()).description() + "), " + describe(cfg),
                params.numel(), "generated by task " + cfg.task() + " " + cfg.params() + " from seed " + cfg.seed()
                        + "; the sha256 is of training batch 0 (inputs, targets, mask)",
                DataFingerprint.of(task, cfg.batch()), cfg.seed(), config, finalMetrics, List.of(),
                Instant.now(), Version.VERSION).write(runDir);
        console.printf(Locale.ROOT, "held-out answer accuracy %.4f (%,d answers)%n",
                end.scores().getOrDefault("answer_accuracy", Double.NaN), work.last == null ? 0 : work.last.answers());
        console.println(RunRecorder.wrote(runDir));
        console.flush();
        return 0;
    }

    /** A token task's step: the answer loss on training batch {@code k}; scores on held-out batches. */
    static final class TokenWork implements RunLoop.Work {
        private final TaskRunConfig cfg;
        private final TokenTask task;
        private final TokenModel model;
        private TokenTaskTraining.Scores last;

        TokenWork(TaskRunConfig cfg, TokenTask task, TokenModel model) {
            this.cfg = cfg;
            this.task = task;
            this.model = model;
        }

        @Override
        public Tensor loss(long index) {
            TokenBatch batch = task.batch(cfg.batch(), index);
            return AnswerLoss.of(TokenTaskTraining.logits(model, batch), batch);
        }

        @Override
        public long unitsPerStep() {
            return (long) cfg.batch() * task.seqLen();
        }

        @Override
        public Map<String, Double> evaluate() {
            last = TokenTaskTraining.score(model, task, cfg.batch(), EVAL_BATCHES);
            return metrics(task, last);
        }

        @Override
        public String describe(long step, double loss, Map<String, Double> scores) {
            return String.format(Locale.ROOT, "step %d: loss %.4f, held-out answer accuracy %.4f%s", step, loss,
                    last.accuracy(), perHeadText(task, last));
        }

        @Override
        public boolean reached(Map<String, Double> scores) {
            return scores.get("answer_accuracy") >= 1.0;
        }
    }

    /** The evaluation's figures as metrics extras. */
    static Map<String, Double> metrics(TokenTask task, TokenTaskTraining.Scores s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("answer_accuracy", s.accuracy());
        m.put("val_loss", s.loss());
        if (s.perHead().length > 1) {
            List<String> names = headNames(task, s.perHead().length);
            for (int h = 0; h < names.size(); h++) {
                m.put("answer_accuracy_" + names.get(h), s.perHead()[h]);
            }
        }
        return m;
    }

    static String perHeadText(TokenTask task, TokenTaskTraining.Scores s) {
        if (s.perHead().length < 2) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (per head:");
        List<String> names = headNames(task, s.perHead().length);
        for (int h = 0; h < names.size(); h++) {
            sb.append(String.format(Locale.ROOT, " %s %.4f", names.get(h), s.perHead()[h]));
        }
        return sb.append(')').toString();
    }
}
