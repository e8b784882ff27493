package dev.recur.cli;

import dev.recur.cli.train.RunReport;
import dev.recur.cli.train.StopOnShutdown;
import dev.recur.cli.train.TrainSettings;
import dev.recur.cli.report.TrainingProgress;
import dev.recur.core.RecurException;
import dev.recur.layers.block.MixerKind;
import dev.recur.layers.stack.MixerKinds;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.TrainingListener;
import dev.recur.train.metrics.MetricsRow;
import dev.recur.train.run.RunFolders;
import dev.recur.train.run.RunSettings;
import dev.recur.train.run.TaskSource;
import dev.recur.train.run.TrainingRun;
import dev.recur.train.run.TrainingRuns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recur train}: trains a byte-level language model. With no options it is Recur's main job: the default
 * LSTM on Moby-Dick and six books by other authors for a step budget that fits in six minutes on two cores, then
 * held-out Moby-Dick bits per byte and bits per byte on prose by other authors, each next to {@code xz -9e} and
 * {@code bzip2 -9}, and a sample. {@code --model SPEC} trains any layer spec as a byte-level
 * language model, {@code --init DIR} fine-tunes a model folder, {@code --task}/{@code --csv} train a task model
 * or a forecaster. The run folder holds {@code config.json} and {@code model.safetensors} (loadable with
 * {@code HfModels.load}; for a task run, the weights only), {@code train_config.json}, {@code data.sha256},
 * {@code metrics.jsonl}, {@code loss.png}, {@code MODEL_CARD.md} and {@code checkpoints/}. Ctrl-C writes a final
 * checkpoint; {@code --resume} continues from the newest verified one with the settings saved in
 * {@code train_config.json}. Settings come from {@link TrainSettings}: defaults, then {@code --config FILE}, then
 * the command line, then {@code --set key=value}; the merged result is printed first. This command only parses
 * and prints: the run itself is {@link TrainingRuns}' (recur-train), the report files are {@link RunReport}'s.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a byte-level language model (default: an LSTM on Moby-Dick and six other books, six"
                + " minutes), or a model"
                + " on a task (--task NAME) or a CSV time series (--csv FILE --target COLUMN).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--text", paramLabel = "FILE", description = "Train on this UTF-8 file (default:"
            + " Moby-Dick with six books by other authors, Moby-Dick's end held out).")
    Path text;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Run folder (default: a new folder under runs/ named by date and time).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out (default: the newest under runs/) from "
            + "its newest verified checkpoint, with its saved options (--steps may extend it).")
    boolean resume;

    @Option(names = "--model", defaultValue = "lstm", paramLabel = "SPEC",
            description = "The model: lstm or mamba (the byte models), or any layer spec such as gru, mamba2*4,"
                    + " gdn*3+attn, attn(heads=4); for --task also attention, universal, lbmamba (stack:SPEC"
                    + " still works); for forecasting, lstm (the local LSTM) or a spec (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--width", defaultValue = "256", paramLabel = "N",
            description = "Model width: the LSTM's or Mamba's hidden size, a spec's d_model, the task model's or"
                    + " forecaster's width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--layers", defaultValue = "1", paramLabel = "N",
            description = "Layers; for a layer spec, repeats the whole spec N times (not with a spec that has a"
                    + " repetition of its own) (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--steps", defaultValue = "4500", paramLabel = "N",
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

    @Option(names = "--eval-every", defaultValue = "500", paramLabel = "N",
            description = "Held-out evaluation every N steps and at the end; 0: only at the end"
                    + " (default ${DEFAULT-VALUE}).")
    long evalEvery;

    @Option(names = "--checkpoint-every", defaultValue = "500", paramLabel = "N",
            description = "Checkpoint every N steps and at the end (default ${DEFAULT-VALUE}).")
    long checkpointEvery;

    @Option(names = "--task", paramLabel = "NAME",
            description = "Train on this task of `recur tasks` instead of a language model: a token model on a token"
                    + " task, a forecaster on a forecasting task.")
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

    @Option(names = "--mlp", defaultValue = "0", paramLabel = "N",
            description = "SwiGLU units per block of a layer-spec model, 0 for none (default ${DEFAULT-VALUE}).")
    int mlp;

    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "NAME",
            description = "adamw (decoupled decay on matrices) or sgd (momentum 0.9) (default ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--init", paramLabel = "DIR",
            description = "Fine-tune this model folder (an HF causal LM or a recur train run) instead of a new model;"
                    + " the output keeps its config.json, tokenizer and tensor names.")
    Path init;

    @Option(names = "--ids", paramLabel = "FILE",
            description = "Train a language model on these token ids (whitespace-separated integers, or a"
                    + " .safetensors or torch.save .pt file with input_ids) instead of --text.")
    Path ids;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read options from this JSON or YAML file (keys as the options: steps, seq_len, params.n..."
                    + "); the command line and --set override it.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key, last and strongest, e.g. --set lr=1e-3 or --set params.n=5"
                    + " (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--list-kinds", description = "Print the layer-spec kinds --model accepts, with their options, and"
            + " exit.")
    boolean listKinds;

    /** Options that are not part of the training configuration. */
    static final Set<String> NOT_CONFIG = Set.of("--config", "--set", "--resume", "--help", "--version", "--debug",
            "--threads", "--list-kinds");
    /** Options a resumed run takes; the rest of its settings are saved in its folder. */
    static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--out", "--steps", "--threads", "--debug");
    /** Settings an --init folder fixes itself. */
    static final List<String> MODEL_KEYS = List.of("model", "width", "layers", "mlp");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        if (listKinds) {
            for (MixerKind kind : MixerKinds.all()) {
                console.println(kind.id() + (kind.options().isEmpty() ? "" : "  (" + String.join(", ",
                        kind.options()) + ")"));
            }
            console.flush();
            return 0;
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        TrainingRun run;
        if (resume) {
            if (config != null || !sets.isEmpty()) {
                throw new RecurException("recur train --resume: expected no --config or --set (a resumed run keeps its"
                        + " saved configuration; --steps may extend it), got "
                        + (config != null ? "--config " + config : "--set " + sets.get(0)));
            }
            for (CommandLine.Model.OptionSpec o : parsed.matchedOptions()) {
                if (!RESUME_OPTIONS.contains(o.longestName())) {
                    throw new RecurException("recur train --resume: expected no " + o.longestName() + " (a resumed run"
                            + " keeps its saved settings; --steps may extend it), got " + o.longestName());
                }
            }
            Path runDir = out != null ? out : RunFolders.newest(Path.of("runs")).orElseThrow(() -> new RecurException(
                    "recur train --resume: no run folder under runs/; give --out DIR"));
            run = TrainingRuns.resume(runDir, parsed.hasMatchedOption("--steps") ? steps : 0);
        } else {
            TrainSettings merged = TrainSettings.merge(spec, parsed, config, sets, NOT_CONFIG);
            RunSettings settings = merged.toRunSettings();
            checkConflicts(merged, settings);
            console.println("configuration (defaults < --config < command line < --set):");
            merged.describe().forEach(console::println);
            console.flush();
            run = TrainingRuns.start(settings);
        }
        console.println(run.headline());
        console.println("run folder: " + run.runDir());
        console.flush();
        ConsoleListener listener = new ConsoleListener(console);
        LoopResult result;
        try (StopOnShutdown ignored = new StopOnShutdown(run::requestStop)) {
            try {
                result = run.train(listener);
            } finally {
                listener.close();
            }
            if (result.interrupted()) {
                // The JVM may be shutting down: no plot (its toolkit registers hooks of its own); the checkpoint
                // holds everything.
                console.println("interrupted at step " + result.step() + "; continue with: recur train --resume --out "
                        + run.runDir());
                console.flush();
                return 130;
            }
            RunReport.write(run, result, console);
            return 0;
        }
    }

    /** Options that cannot go together, named with where they came from. */
    private static void checkConflicts(TrainSettings merged, RunSettings settings) {
        boolean languageModel = !TaskSource.describedBy(settings);
        for (String key : List.of("init", "ids")) {
            if (merged.given(key) && !languageModel) {
                throw new RecurException("recur train: --" + key + " trains a language model; it conflicts with --task"
                        + " and --csv");
            }
        }
        if (merged.given("init")) {
            for (String key : MODEL_KEYS) {
                if (merged.given(key)) {
                    throw new RecurException("recur train: --init " + settings.text("init") + " conflicts with --"
                            + key + " (the model and its sizes are the folder's)");
                }
            }
        }
        if (merged.given("ids") && merged.given("text")) {
            throw new RecurException("recur train: --ids and --text conflict; give the training data once");
        }
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
        public void onEvaluation(long step, String summary, Map<String, Double> scores) {
            onMessage(summary);
        }

        @Override
        public void onMessage(String line) {
            console.println(line);
            console.flush();
        }

        void close() {
            if (progress != null) {
                progress.close();
                progress = null;
                console.flush();
            }
        }
    }
}
