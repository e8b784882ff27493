package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.GradClip;
import dev.recur.train.NamedParameter;
import dev.recur.train.ParameterFiles;
import dev.recur.train.Parameters;
import dev.recur.train.checkpoint.Checkpoint;
import dev.recur.train.checkpoint.CheckpointStore;
import dev.recur.train.checkpoint.StoredCheckpoint;
import dev.recur.train.checkpoint.TrainerState;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import dev.recur.train.optim.Optimizer;
import dev.recur.train.optim.Sgd;
import dev.recur.train.optim.SgdConfig;
import dev.recur.train.schedule.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Recur's one training loop, for language models, token tasks and forecasters alike (the {@link StepWork} says
 * what a step computes). Each step: the work's loss on the next training batch, a check that it is finite
 * (naming the first non-finite parameter or gradient when not), back-propagation, the global gradient norm
 * (checked finite, naming the parameter; clipped to {@code clip} when that is > 0), the optimiser's update at
 * the schedule's rate. An evaluation every {@code eval_every} steps and at the end (the work may end the run
 * early on its scores); a checkpoint every {@code checkpoint_every} steps, at the end, and when a stop is
 * requested.
 *
 * <p>The run folder gets {@code metrics.jsonl} (a row per step with {@code grad_norm}; evaluation rows add the
 * scores) and {@code checkpoints/} (atomic, with a sha256 manifest, by {@link CheckpointStore}). A checkpoint
 * holds the parameters, the optimiser's state, the work's carried tensors (as {@value #CARRIED_PREFIX}NAME
 * beside the optimiser's), the data position, the seeds and the last scores, so a resumed run continues with
 * the same bits as one that never stopped. {@link #requestStop()} (from any thread, e.g. Ctrl-C's shutdown hook)
 * ends the run after the current step with a checkpoint.
 */
public final class TrainingLoop {
    /** Prefix of the work's carried tensors in a checkpoint's optimizer file. */
    public static final String CARRIED_PREFIX = "stream.";
    /** Prefix of the last scores among a checkpoint's trainer scalars. */
    static final String SCORE_PREFIX = "score.";
    private static final String METRICS = "metrics.jsonl";

    private final StepWork work;
    private final LoopConfig config;
    private final Path runDir;
    private final TrainingListener listener;
    private final Parameters params;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final CheckpointStore store;
    private volatile boolean stopRequested;

    private long step;
    private long units;
    private Map<String, Double> scores = new LinkedHashMap<>();

    public TrainingLoop(StepWork work, LoopConfig config, Path runDir, TrainingListener listener) {
        if (work == null || config == null || runDir == null || listener == null) {
            throw new RecurException("training loop: expected work, a config, a run folder and a listener");
        }
        this.work = work;
        this.config = config;
        this.runDir = runDir;
        this.listener = listener;
        this.params = work.parameters();
        this.optimizer = optimizer(config, params);
        this.schedule = LearningRateSchedule.parse(config.schedule(), config.learningRate(), config.steps());
        this.store = new CheckpointStore(runDir.resolve("checkpoints"), config.keepCheckpoints(), listener::onMessage);
    }

    private static Optimizer optimizer(LoopConfig config, Parameters params) {
        if (config.optimizer().equals(LoopConfig.SGD)) {
            return new Sgd(params, SgdConfig.of(config.learningRate()).withMomentum(0.9)
                    .withWeightDecay(config.weightDecay()), AdamW.matricesOnly());
        }
        return new AdamW(params, AdamWConfig.of(config.learningRate()).withWeightDecay(config.weightDecay()),
                AdamW.matricesOnly());
    }

    /** Asks the run to stop after the current step and write a checkpoint; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs to {@code steps}, or to {@code stopAt} when smaller (for tests of resume), from the newest verified
     * checkpoint when {@code resume} (from step 0 when there is none).
     *
     * @throws RecurException when the checkpoint resumed is already at the last step
     */
    public LoopResult run(boolean resume, long stopAt) throws IOException {
        if (resume) {
            restore();
            if (step >= config.steps()) {
                throw new RecurException(runDir + " is at step " + step + " of " + config.steps()
                        + "; give a larger --steps to continue it");
            }
        }
        long end = Math.min(config.steps(), stopAt);
        Path log = runDir.resolve(METRICS);
        MetricsLog metrics = step > 0 ? MetricsLog.resume(log, step) : MetricsLog.create(log);
        long startStep = step;
        long startUnits = units;
        listener.onStart(startStep, config.steps());
        double lastLoss = Double.NaN;
        long startNanos = System.nanoTime();
        long lastCheckpoint = step;
        try (metrics) {
            while (step < end && !stopRequested) {
                StepFigures figures = trainStep();
                lastLoss = figures.loss();
                double perSecond = (units - startUnits) / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
                MetricsRow row = new MetricsRow(step, lastLoss, figures.learningRate(), perSecond)
                        .with("grad_norm", figures.gradNorm());
                boolean done = step == config.steps();
                String summary = null;
                if (config.evaluatesAt(step)) {
                    scores = new LinkedHashMap<>(work.evaluate());
                    for (Map.Entry<String, Double> e : scores.entrySet()) {
                        row = row.with(e.getKey(), e.getValue());
                    }
                    summary = work.describe(step, lastLoss, scores);
                }
                metrics.append(row);
                listener.onStep(row);
                if (summary != null) {
                    listener.onEvaluation(step, summary, scores);
                    if (!done && work.reached(scores)) {
                        listener.onMessage("reached the target at step " + step + "; stopping");
                        done = true;
                    }
                }
                if (done || config.checkpointsAt(step)) {
                    checkpoint();
                    lastCheckpoint = step;
                }
                if (done) {
                    break;
                }
            }
            if (step > lastCheckpoint) {
                checkpoint();
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double perSecond = step > startStep ? (units - startUnits) / seconds : Double.NaN;
        boolean interrupted = stopRequested && step < end;
        if (interrupted) {
            listener.onMessage("stopped at step " + step + " of " + config.steps() + "; checkpoint written");
        }
        return new LoopResult(startStep, step, lastLoss, scores, units, perSecond, interrupted);
    }

    /** What a step measured: its loss, the gradient norm before clipping, and the learning rate used. */
    private record StepFigures(double loss, double gradNorm, double learningRate) {}

    private StepFigures trainStep() {
        long stepNumber = step + 1;
        Tensor loss = work.loss(step);
        double lossValue = loss.item();
        if (!Double.isFinite(lossValue)) {
            throw new RecurException("train step " + stepNumber + ": loss is " + lossValue + "; "
                    + FiniteCheck.firstBad(params));
        }
        loss.backward();
        double norm;
        try {
            norm = config.clip() > 0 ? GradClip.clipByGlobalNorm(params, config.clip()) : GradClip.globalNorm(params);
        } catch (RecurException e) {
            throw new RecurException("train step " + stepNumber + ": " + e.getMessage(), e);
        }
        double lr = schedule.at(step);
        optimizer.setLearningRate(lr);
        optimizer.step();
        optimizer.zeroGrad();
        work.afterStep();
        step = stepNumber;
        units += work.unitsPerStep();
        return new StepFigures(lossValue, norm, lr);
    }

    private void checkpoint() throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        for (NamedParameter p : params) {
            model.put(p.name(), p.value());
        }
        Map<String, Tensor> opt = new LinkedHashMap<>(optimizer.exportState());
        work.carriedTensors().forEach((name, t) -> opt.put(CARRIED_PREFIX + name, t));
        Map<String, Double> scalars = new TreeMap<>(work.carriedScalars());
        scores.forEach((k, v) -> scalars.put(SCORE_PREFIX + k, v));
        TrainerState ts = new TrainerState(step, units, work.dataPosition(step), work.seeds(), scalars);
        listener.onCheckpoint(store.save(new Checkpoint(model, opt, ts)));
    }

    /** Loads the newest verified checkpoint, if any, into the parameters, the optimiser and the work. */
    private void restore() throws IOException {
        Optional<StoredCheckpoint> latest = store.latestVerified();
        if (latest.isEmpty()) {
            listener.onMessage("no verified checkpoint in " + store.root() + "; starting from step 0");
            return;
        }
        Checkpoint c = latest.get().load();
        String where = latest.get().folder().toString();
        for (Map.Entry<String, Long> seed : work.seeds().entrySet()) {
            Long saved = c.trainer().seeds().get(seed.getKey());
            if (saved != null && !saved.equals(seed.getValue())) {
                throw new RecurException(where + ": " + seed.getKey() + " seed " + saved + " differs from this run's "
                        + seed.getValue());
            }
        }
        ParameterFiles.assign(params, c.model(), where);
        Map<String, Tensor> opt = new TreeMap<>();
        Map<String, Tensor> carried = new LinkedHashMap<>();
        c.optimizer().forEach((name, t) -> {
            if (name.startsWith(CARRIED_PREFIX)) {
                carried.put(name.substring(CARRIED_PREFIX.length()), t);
            } else {
                opt.put(name, t);
            }
        });
        optimizer.importState(opt);
        work.restore(carried, c.trainer(), where);
        step = c.step();
        units = c.trainer().tokensSeen();
        scores = new LinkedHashMap<>();
        c.trainer().scalars().forEach((k, v) -> {
            if (k.startsWith(SCORE_PREFIX)) {
                scores.put(k.substring(SCORE_PREFIX.length()), v);
            }
        });
        listener.onMessage("resumed from " + where + " at step " + step);
    }
}
