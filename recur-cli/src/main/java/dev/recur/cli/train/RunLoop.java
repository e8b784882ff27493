package dev.recur.cli.train;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.GradClip;
import dev.recur.train.Parameters;
import dev.recur.train.optim.AdamW;
import dev.recur.train.optim.AdamWConfig;
import dev.recur.train.schedule.LearningRateSchedule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The training loop of task and forecasting runs: AdamW (decay on matrices only) at the run's schedule, optional
 * global-norm clipping, an evaluation every {@code eval_every} steps and at the end, a checkpoint every
 * {@code checkpoint_every} steps and at the end. Training batch {@code k} is a pure function of the task, its
 * seed and {@code k}, so a run resumed from the checkpoint of step {@code s} (parameters and optimiser state)
 * continues with the same bits as a run that never stopped. Ctrl-C ends the current step and leaves a checkpoint.
 */
final class RunLoop {
    /** What a kind of run does at each step. */
    interface Work {
        /** The loss on training batch {@code index} (0-based), recorded for a backward pass. */
        Tensor loss(long index);

        /** Units (tokens, or window samples) in one training batch, for the throughput figure. */
        long unitsPerStep();

        /** Held-out scores, as metrics extras. */
        Map<String, Double> evaluate();

        /** The line printed after an evaluation. */
        String describe(long step, double loss, Map<String, Double> scores);

        /** Whether these scores end the run early. */
        boolean reached(Map<String, Double> scores);
    }

    /**
     * How a run ended: its last step, last training loss, last scores and throughput; {@code interrupted} when a
     * stop was requested (Ctrl-C) before the end, after a checkpoint of the last step.
     */
    record Outcome(long step, double loss, Map<String, Double> scores, long units, double unitsPerSecond,
                   boolean interrupted) {}

    private RunLoop() {}

    /**
     * Trains to {@code cfg.steps()} (or until {@link Work#reached}), from step 0 or, with {@code resume}, from the
     * newest verified checkpoint in {@code runDir}; then writes the weights and the plot.
     */
    static Outcome run(TaskRunConfig cfg, Parameters params, Work work, Path runDir, boolean resume,
                       PrintWriter console, String title, String secondKey, String secondLabel) throws IOException {
        try (StopOnShutdown stop = new StopOnShutdown(() -> { })) {
            return run(cfg, params, work, runDir, resume, console, title, secondKey, secondLabel, stop::requested);
        }
    }

    /** As above, stopping after the step during which {@code stopRequested} turns true. */
    static Outcome run(TaskRunConfig cfg, Parameters params, Work work, Path runDir, boolean resume,
                       PrintWriter console, String title, String secondKey, String secondLabel,
                       BooleanSupplier stopRequested) throws IOException {
        AdamW opt = new AdamW(params, AdamWConfig.of(cfg.lr()).withWeightDecay(cfg.weightDecay()),
                AdamW.matricesOnly());
        LearningRateSchedule schedule = LearningRateSchedule.parse(cfg.schedule(), cfg.lr(), cfg.steps());
        long every = cfg.evalEvery() == 0 ? cfg.steps() : Math.min(cfg.evalEvery(), cfg.steps());
        long step = 0;
        long units = 0;
        if (resume) {
            RunRecorder.Restored r = RunRecorder.restore(runDir, params, opt, console);
            step = r.step();
            units = r.units();
            if (step >= cfg.steps()) {
                throw new RecurException("recur train --resume: " + runDir + " is at step " + step + " of "
                        + cfg.steps() + "; give a larger --steps to continue it");
            }
        }
        double loss = Double.NaN;
        Map<String, Double> scores = Map.of();
        try (RunRecorder rec = RunRecorder.start(runDir, cfg.steps(), step, units, console)) {
            while (step < cfg.steps()) {
                opt.zeroGrad();
                Tensor l = work.loss(step);
                l.backward();
                if (cfg.clip() > 0) {
                    GradClip.clipByGlobalNorm(params, cfg.clip());
                }
                double lr = schedule.at(step);
                opt.setLearningRate(lr);
                opt.step();
                loss = l.item();
                step++;
                units += work.unitsPerStep();
                boolean evaluate = step % every == 0 || step == cfg.steps();
                Map<String, Double> extras = evaluate ? work.evaluate() : Map.of();
                rec.step(step, loss, lr, rec.perSecond(units), extras);
                boolean done = step == cfg.steps();
                if (evaluate) {
                    scores = new LinkedHashMap<>(extras);
                    rec.say(work.describe(step, loss, extras));
                    if (!done && work.reached(extras)) {
                        rec.say("reached the target at step " + step + "; stopping");
                        done = true;
                    }
                }
                boolean interrupted = !done && stopRequested.getAsBoolean();
                if (done || interrupted || (cfg.checkpointEvery() > 0 && step % cfg.checkpointEvery() == 0)) {
                    rec.checkpoint(params, opt, step, units, cfg.seed());
                }
                if (interrupted) {
                    // The JVM may be shutting down: no weights file or plot, the checkpoint holds everything.
                    rec.say("interrupted at step " + step + "; continue with: recur train --resume --out " + runDir);
                    return new Outcome(step, loss, scores, units, rec.perSecond(units), true);
                }
                if (done) {
                    break;
                }
            }
            rec.finish(params, title, secondKey, secondLabel);
            return new Outcome(step, loss, scores, units, rec.perSecond(units), false);
        }
    }
}
