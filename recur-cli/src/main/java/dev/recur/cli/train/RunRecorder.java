package dev.recur.cli.train;

import dev.recur.cli.report.LossCurvePlot;
import dev.recur.cli.report.ModelCard;
import dev.recur.cli.report.TrainingProgress;
import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.NamedParameter;
import dev.recur.train.ParameterFiles;
import dev.recur.train.Parameters;
import dev.recur.train.checkpoint.Checkpoint;
import dev.recur.train.checkpoint.CheckpointStore;
import dev.recur.train.checkpoint.StoredCheckpoint;
import dev.recur.train.checkpoint.TrainerState;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import dev.recur.train.optim.Optimizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files and the display of a task or forecasting run: one {@code metrics.jsonl} row per step (evaluation
 * steps carry the task's metrics as extras), the progress bar, checkpoints under {@code checkpoints/} (the
 * model's parameters and the optimiser state, by recur-train's {@link CheckpointStore}), and at the end
 * {@code model.safetensors} and {@code loss.png}.
 */
public final class RunRecorder implements AutoCloseable {
    /** The final weights in the run folder. */
    public static final String WEIGHTS = "model.safetensors";
    private static final int KEEP_CHECKPOINTS = 3;

    private final Path runDir;
    private final PrintWriter console;
    private final MetricsLog metrics;
    private final CheckpointStore checkpoints;
    private final TrainingProgress progress;
    private final long startNanos = System.nanoTime();
    private final long startUnits;
    private boolean closed;

    private RunRecorder(Path runDir, long totalSteps, long startStep, long startUnits, PrintWriter console)
            throws IOException {
        this.runDir = runDir;
        this.startUnits = startUnits;
        this.console = console;
        Path log = runDir.resolve("metrics.jsonl");
        this.metrics = startStep == 0 ? MetricsLog.create(log) : MetricsLog.resume(log, startStep);
        this.checkpoints = store(runDir, console);
        this.progress = TrainingProgress.start("train", totalSteps, startStep);
    }

    private static CheckpointStore store(Path runDir, PrintWriter console) {
        return new CheckpointStore(runDir.resolve("checkpoints"), KEEP_CHECKPOINTS, line -> {
            console.println(line);
            console.flush();
        });
    }

    /**
     * Starts recording into {@code runDir} (which must exist) a run of {@code totalSteps} steps from
     * {@code startStep} (0, or the step of the checkpoint a resumed run continues from: later metrics rows are
     * dropped), having seen {@code startUnits} units before.
     */
    public static RunRecorder start(Path runDir, long totalSteps, long startStep, long startUnits,
                                    PrintWriter console) throws IOException {
        return new RunRecorder(runDir, totalSteps, startStep, startUnits, console);
    }

    /** Where a resumed run starts: the checkpoint's step and the units it had seen. */
    public record Restored(long step, long units) {}

    /**
     * Loads the newest verified checkpoint of {@code runDir} into {@code params} and {@code optimizer} (names
     * and shapes must match).
     */
    public static Restored restore(Path runDir, Parameters params, Optimizer optimizer, PrintWriter console)
            throws IOException {
        StoredCheckpoint latest = store(runDir, console).latestVerified().orElseThrow(() -> new RecurException(
                "recur train --resume: no verified checkpoint in " + runDir.resolve("checkpoints")));
        Checkpoint c = latest.load();
        ParameterFiles.assign(params, c.model(), latest.toString());
        optimizer.importState(c.optimizer());
        console.println("resumed from " + latest + " at step " + c.step());
        console.flush();
        return new Restored(c.step(), c.trainer().tokensSeen());
    }

    public Path runDir() {
        return runDir;
    }

    /** Mean throughput since this process started recording, for {@code units} seen in the whole run. */
    public double perSecond(long units) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? (units - startUnits) / seconds : Double.NaN;
    }

    /** Logs one step (with the evaluation's figures as extras, or none) and moves the display on. */
    public void step(long step, double loss, double lr, double tokensPerSecond, Map<String, Double> extras)
            throws IOException {
        metrics.append(new MetricsRow(step, loss, lr, tokensPerSecond, new LinkedHashMap<>(extras)));
        progress.update(step, loss, lr, tokensPerSecond);
    }

    /** Prints a line (an evaluation's summary) between progress updates. */
    public void say(String line) {
        console.println(line);
        console.flush();
    }

    /** Saves a checkpoint at {@code step}: the parameters, the optimiser's state, and the data position. */
    public void checkpoint(Parameters params, Optimizer optimizer, long step, long tokensSeen, long seed)
            throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        for (NamedParameter p : params) {
            model.put(p.name(), p.value());
        }
        checkpoints.save(new Checkpoint(model, optimizer.exportState(),
                new TrainerState(step, tokensSeen, step, Map.of("init", seed, "data", seed), Map.of())));
    }

    /**
     * Ends the run: closes the display and the log, writes {@value #WEIGHTS}, and draws {@code loss.png} with the
     * extra {@code secondKey} on the right axis.
     */
    public void finish(Parameters params, String title, String secondKey, String secondLabel) throws IOException {
        close();
        ParameterFiles.write(params, runDir.resolve(WEIGHTS));
        LossCurvePlot.write(runDir.resolve("metrics.jsonl"), runDir.resolve("loss.png"), title, secondKey,
                secondLabel);
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            progress.close();
            metrics.close();
            console.flush();
        }
    }

    /** The closing line of a finished run: what it wrote and how to score it. */
    public static String wrote(Path runDir) {
        return "wrote " + runDir + " (" + TrainSettings.FILE + ", " + WEIGHTS + ", metrics.jsonl, loss.png, "
                + ModelCard.FILE + ", " + DataFingerprint.FILE + ", checkpoints/); score it with: recur eval --model "
                + runDir;
    }
}
