package dev.recur.train.run;

import dev.recur.train.ParameterFiles;
import dev.recur.train.loop.LoopResult;
import dev.recur.train.loop.StepWork;
import dev.recur.train.loop.TrainingListener;
import dev.recur.train.loop.TrainingLoop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One {@code recur train} run, built from its {@link RunSettings} by {@link TrainingRuns} with its folder made
 * and its settings saved: a language model ({@link LanguageModelRun}), a token task ({@link TokenTaskRun}) or a
 * forecaster ({@link ForecastRun}). {@link #train} runs the one {@link TrainingLoop} on the run's
 * {@link StepWork} and, unless stopped, writes the model; what the caller prints and which report files it draws
 * come from the accessors.
 */
public abstract class TrainingRun {
    /** The final weights in the run folder. */
    public static final String WEIGHTS = "model.safetensors";

    private final RunSettings settings;
    private final Path runDir;
    private final boolean resume;
    private volatile TrainingLoop loop;
    private volatile boolean stopRequested;

    protected TrainingRun(RunSettings settings, Path runDir, boolean resume) {
        this.settings = settings;
        this.runDir = runDir;
        this.resume = resume;
    }

    public RunSettings settings() {
        return settings;
    }

    public Path runDir() {
        return runDir;
    }

    /** Whether this run continues from the newest verified checkpoint of its folder. */
    public boolean resumed() {
        return resume;
    }

    /** The line that introduces the run: the model, its size and the data. */
    public abstract String headline();

    /** The model card's title. */
    public abstract String title();

    /** The model, in a few words (architecture and sizes). */
    public abstract String architecture();

    public long parameterCount() {
        return work().parameters().numel();
    }

    /** Where the data came from, for provenance. */
    public abstract String dataSource();

    /** The sha256 of the data (as saved in {@value DataFingerprint#FILE}). */
    public abstract String dataSha256();

    /** The score drawn beside the loss in {@code loss.png}: its metrics key and its label. */
    public abstract List<String> plottedScore();

    /** The figures of a finished run, for the model card. */
    public abstract Map<String, Double> finalMetrics(LoopResult result);

    /** Lines that sum a finished run up (printed by the caller). */
    public abstract List<String> summary(LoopResult result);

    /** What one step computes. */
    protected abstract StepWork work();

    /** Writes the trained model into the run folder: its parameters as {@value #WEIGHTS}. */
    protected void writeModel() throws IOException {
        ParameterFiles.write(work().parameters(), runDir.resolve(WEIGHTS));
    }

    /**
     * Trains to the settings' step count (from the newest verified checkpoint when resumed), then writes the model
     * unless a stop request ended the run first (its checkpoint then holds everything).
     */
    public LoopResult train(TrainingListener listener) throws IOException {
        TrainingLoop l = new TrainingLoop(work(), settings.loopConfig(), runDir, listener);
        loop = l;
        if (stopRequested) {
            l.requestStop();
        }
        LoopResult result = l.run(resume, Long.MAX_VALUE);
        if (!result.interrupted()) {
            writeModel();
        }
        return result;
    }

    /** Asks the run to stop after the current step with a checkpoint; safe from any thread (Ctrl-C's hook). */
    public void requestStop() {
        stopRequested = true;
        TrainingLoop l = loop;
        if (l != null) {
            l.requestStop();
        }
    }

    /** The closing line of a finished run: what it wrote and how to use it. */
    public String wrote() {
        return "wrote " + runDir + " (" + RunSettings.FILE + ", " + WEIGHTS + ", metrics.jsonl, loss.png, "
                + "MODEL_CARD.md, " + DataFingerprint.FILE + ", checkpoints/); score it with: recur eval --model "
                + runDir;
    }
}
