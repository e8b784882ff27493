package dev.recur.cli;

import dev.recur.cli.report.CompressionBaseline;
import dev.recur.cli.report.LossCurvePlot;
import dev.recur.cli.report.ModelCard;
import dev.recur.cli.report.TrainingProgress;
import dev.recur.cli.train.RunFolders;
import dev.recur.cli.train.RunOptions;
import dev.recur.cli.train.StopOnShutdown;
import dev.recur.cli.train.TaskRun;
import dev.recur.cli.train.TaskRunConfig;
import dev.recur.cli.train.TaskRunEval;
import dev.recur.cli.train.TrainSettings;
import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.Generator;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.Sampling;
import dev.recur.layers.registry.ByteModel;
import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.tokenizer.ByteCodec;
import dev.recur.tasks.text.Corpus;
import dev.recur.tasks.text.CorpusSplit;
import dev.recur.train.checkpoint.StoredCheckpoint;
import dev.recur.train.loop.Evaluation;
import dev.recur.train.loop.Trainer;
import dev.recur.train.loop.TrainingListener;
import dev.recur.train.loop.TrainingResult;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recur train}: trains a byte-level language model. With no options it is Recur's main job: the default
 * LSTM on Moby-Dick for a step budget that fits in a few minutes on two cores, then held-out bits per byte next
 * to {@code xz -9e} and {@code bzip2 -9}, and a sample. The run folder holds {@code config.json},
 * {@code model.safetensors} (loadable with {@link HfModels#load}), {@code metrics.jsonl}, {@code loss.png},
 * {@code MODEL_CARD.md}, {@code run.json}, {@code train_config.json} and {@code checkpoints/}. Ctrl-C writes a
 * final checkpoint; {@code --resume} continues from the newest verified one, with the options saved in
 * {@code run.json}. Options come from {@link TrainSettings}: defaults, then {@code --config FILE}, then the
 * command line, then {@code --set key=value}; the merged result is printed first and saved as
 * {@code train_config.json}.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a byte-level language model (default: an LSTM on Moby-Dick, a few minutes), or a model"
                + " on a task (--task NAME) or a CSV time series (--csv FILE --target COLUMN).")
final class TrainCommand implements Callable<Integer> {
    static final String PROMPT = "The sea was";
    static final int SAMPLE_BYTES = 200;

    @Option(names = "--text", paramLabel = "FILE", description = "Train on this UTF-8 file (default: Moby-Dick).")
    Path text;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: a new folder under runs/ named by date and time).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out (default: the newest under runs/) from "
            + "its newest verified checkpoint, with its saved options (--steps may extend it).")
    boolean resume;

    @Option(names = "--model", defaultValue = "lstm", paramLabel = "KIND",
            description = "lstm or mamba for a language model; for --task, a token model (lstm, attention, universal,"
                    + " lbmamba, or stack:SPEC such as stack:mamba,attn)"
                    + " (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--width", defaultValue = "256", paramLabel = "N",
            description = "Hidden size: the LSTM's, Mamba's or the task model's width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N",
            description = "Layers (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--steps", defaultValue = "600", paramLabel = "N",
            description = "Optimiser steps (default ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--seq-len", defaultValue = "128", paramLabel = "N",
            description = "Bytes per stream per step, the BPTT length (default ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N",
            description = "Parallel streams (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", paramLabel = "RATE",
            description = "Peak learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--schedule", defaultValue = "wsd:warmup=0.02,decay=0.3", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant, cosine or wsd with options (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--clip", defaultValue = "1.0", paramLabel = "NORM",
            description = "Global gradient-norm bound, 0 for none (default ${DEFAULT-VALUE}).")
    double clip;

    @Option(names = "--weight-decay", defaultValue = "0.01", paramLabel = "W",
            description = "AdamW decay on matrices (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S", description = "Seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", defaultValue = "200", paramLabel = "N",
            description = "Held-out evaluation every N steps and at the end; 0: only at the end"
                    + " (default ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "200", paramLabel = "N",
            description = "Checkpoint every N steps and at the end (default ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--task", paramLabel = "NAME",
            description = "Train on this task of `recur tasks` instead of a language model: a token model (--model "
                    + "lstm or attention) on a token task, the local LSTM forecaster on a forecasting task.")
    String task;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "With --task or --csv: a task parameter, e.g. -p n=5 or -p horizon=8 (repeatable).")
    Map<String, String> taskParams = new LinkedHashMap<>();

    @Option(names = "--heads", defaultValue = "2", paramLabel = "N",
            description = "Attention heads of --task runs with --model attention (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Train a forecaster on this CSV file (header row, one row per time step).")
    Path csv;

    @Option(names = "--target", paramLabel = "COLUMN[,COLUMN...]",
            description = "With --csv: the column(s) to forecast and score.")
    String target;

    @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
            description = "With --csv: more columns to train on beside the targets (forecast too, not scored).")
    List<String> columns = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read options from this JSON or YAML file (keys as the options: steps, seq_len, params.n..."
                    + "); the command line and --set override it.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, last and strongest, e.g. --set lr=1e-3 or --set params.n=5"
                    + " (repeatable).")
    List<String> sets = new ArrayList<>();

    /** Options that are not part of the training configuration. */
    static final Set<String> NOT_CONFIG = Set.of("--config", "--set", "--resume", "--help", "--version", "--debug",
            "--threads");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        TrainSettings settings = null;
        if (resume) {
            if (config != null || !sets.isEmpty()) {
                throw new RecurException("recur train --resume: expected no --config or --set (a resumed run keeps its"
                        + " saved configuration; --steps may extend it), got "
                        + (config != null ? "--config " + config : "--set " + sets.get(0)));
            }
        } else {
            settings = TrainSettings.merge(spec, spec.commandLine().getParseResult(), config, sets, NOT_CONFIG);
            settings.applyTo();
            console.println("configuration (defaults < --config < command line < --set):");
            settings.describe().forEach(console::println);
            console.flush();
        }
        if (settings != null && TaskRunConfig.isTaskRun(settings.flat())) {
            return TaskRun.run(settings, console);
        }
        Path runDir;
        RunOptions options;
        if (resume) {
            runDir = out != null ? out : RunFolders.newest(Path.of("runs")).orElseThrow(() -> new RecurException(
                    "recur train --resume: no run folder under runs/; give --out DIR"));
            if (TaskRunEval.isTaskRun(runDir)) {
                return TaskRun.resume(runDir,
                        spec.commandLine().getParseResult().hasMatchedOption("--steps") ? steps : 0, console);
            }
            options = RunOptions.read(runDir);
            if (spec.commandLine().getParseResult().hasMatchedOption("--steps")) {
                options = options.withSteps(steps);
            }
        } else {
            options = new RunOptions(text == null ? null : text.toString(), null, model, width, layers, seed, steps,
                    batch, seqLen, lr, schedule, clip, weightDecay, evalEvery, 16, checkpointEvery);
            // Checks every option (and the schedule spec) before anything is fetched or written.
            options.trainerConfig();
            ByteModel.named(model, width, layers);
            runDir = out;
            RunFolders.requireEmpty(runDir);
        }
        Corpus corpus = options.text() == null ? Corpus.mobyDick() : Corpus.fromFile(Path.of(options.text()));
        if (options.dataSha256() != null && !options.dataSha256().equals(corpus.sha256())) {
            throw new RecurException("recur train --resume: " + corpus.source() + " has sha256 " + corpus.sha256()
                    + ", the run was trained on " + options.dataSha256());
        }
        options = new RunOptions(options.text(), corpus.sha256(), options.model(), options.width(), options.layers(),
                options.seed(), options.steps(), options.batch(), options.seqLen(), options.lr(), options.schedule(),
                options.clip(), options.weightDecay(), options.evalEvery(), options.evalBatch(),
                options.checkpointEvery());
        CorpusSplit split = corpus.split();
        ByteModel byteModel = ByteModel.named(options.model(), options.width(), options.layers());
        if (runDir == null) {
            runDir = RunFolders.createNew(Path.of("runs"));
        }
        Files.createDirectories(runDir);
        CausalLm lm = resume ? HfModels.load(runDir) : byteModel.create(runDir, new Rng(options.seed()).derive(1));
        options.write(runDir);
        if (settings != null) {
            settings.override("out", runDir);
            settings.write(runDir);
        }
        console.printf(Locale.ROOT, "recur train: %s, %,d parameters, on %s (%,d training bytes, %,d held out)%n",
                byteModel.description(), parameterCount(lm), corpus.name(), split.training().length,
                split.validation().length);
        console.println("run folder: " + runDir);
        console.flush();
        return train(console, runDir, options, corpus, split, byteModel, lm);
    }

    private int train(PrintWriter console, Path runDir, RunOptions options, Corpus corpus, CorpusSplit split,
                      ByteModel byteModel, CausalLm lm) throws IOException {
        ConsoleListener listener = new ConsoleListener(console);
        Trainer trainer = new Trainer(lm, split, options.trainerConfig(), runDir, listener);
        try (StopOnShutdown ignored = new StopOnShutdown(trainer::requestStop)) {
            TrainingResult result = trainer.run(resume, Long.MAX_VALUE);
            listener.close();
            ModelFolder.writeWeights(runDir, lm);
            if (result.interrupted()) {
                // The JVM is shutting down: the plot (whose toolkit registers hooks of its own) waits for the end.
                console.println("interrupted at step " + result.step() + "; continue with: recur train --resume --out "
                        + runDir);
                console.flush();
                return 130;
            }
            LossCurvePlot.write(runDir.resolve("metrics.jsonl"), runDir.resolve("loss.png"),
                    "recur train: " + byteModel.description());
            report(console, runDir, options, corpus, split, byteModel, lm, result);
            return 0;
        }
    }

    private void report(PrintWriter console, Path runDir, RunOptions options, Corpus corpus, CorpusSplit split,
                        ByteModel byteModel, CausalLm lm, TrainingResult result) throws IOException {
        List<CompressionBaseline.Result> baselines = CompressionBaseline.measure(split.validation());
        double bpb = result.validation() == null ? Double.NaN : result.validation().bitsPerByte();
        console.printf(Locale.ROOT, "validation: %.4f bits/byte (%,d held-out bytes)%n", bpb,
                result.validation() == null ? 0 : result.validation().bytes());
        for (CompressionBaseline.Result b : baselines) {
            console.println("  " + b.describe());
        }
        console.printf(Locale.ROOT, "throughput: %,.0f tokens/s (evaluations and checkpoints included)%n",
                result.tokensPerSecond());
        ByteCodec bytes = new ByteCodec();
        int[] sample = Generator.generate(lm, bytes.encode(PROMPT), SAMPLE_BYTES,
                new Sampling(0.8, 0, 1.0, options.seed()));
        console.println("sample (temperature 0.8, seed " + options.seed() + "):");
        console.println(PROMPT + bytes.decode(sample));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_bits_per_byte", bpb);
        metrics.put("train_loss", result.lastLoss());
        metrics.put("steps", (double) result.step());
        metrics.put("tokens_seen", (double) result.tokensSeen());
        metrics.put("tokens_per_s", result.tokensPerSecond());
        new ModelCard("Byte-level " + options.model() + " on " + corpus.name(), byteModel.description(),
                parameterCount(lm), corpus.source(), corpus.sha256(), options.seed(), options, metrics, baselines,
                Instant.now(), Version.VERSION).write(runDir);
        console.println("wrote " + runDir + " (config.json, model.safetensors, metrics.jsonl, loss.png, "
                + ModelCard.FILE + ", checkpoints/)");
        console.flush();
    }

    static long parameterCount(CausalLm lm) {
        long n = 0;
        for (var t : lm.parameters().values()) {
            n += t.size();
        }
        return n;
    }

    /** Progress display, evaluation lines and notices. */
    private static final class ConsoleListener implements TrainingListener {
        private final PrintWriter console;
        private TrainingProgress progress;
        private long totalSteps;

        ConsoleListener(PrintWriter console) {
            this.console = console;
        }

        @Override
        public void onStart(long startStep, long totalSteps) {
            this.totalSteps = totalSteps;
            progress = TrainingProgress.start("train", totalSteps, startStep);
        }

        @Override
        public void onStep(MetricsRow row) {
            progress.update(row.step(), row.loss(), row.learningRate(), row.tokensPerSecond());
            if (row.step() == totalSteps) {
                close();
            }
        }

        @Override
        public void onEvaluation(long step, Evaluation.Result result) {
            console.printf(Locale.ROOT, "step %d: validation %.4f bits/byte%n", step, result.bitsPerByte());
            console.flush();
        }

        @Override
        public void onCheckpoint(StoredCheckpoint checkpoint) {}

        void close() {
            if (progress != null) {
                progress.close();
                console.flush();
            }
        }

        @Override
        public void onMessage(String line) {
            console.println(line);
            console.flush();
        }
    }
}
