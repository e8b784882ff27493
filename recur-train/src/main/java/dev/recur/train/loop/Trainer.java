package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.layers.lm.CausalLm;
import dev.recur.tasks.text.CorpusSplit;
import dev.recur.train.Parameters;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Trains any {@link CausalLm} on byte streams: the {@link LanguageModelWork} on the {@link TrainingLoop} with
 * AdamW, for callers that hold a model and a split text (the run API, {@code dev.recur.train.run}, builds the
 * same pair from a run's settings). The run folder gets {@code metrics.jsonl} ({@code grad_norm} on every row,
 * {@code val_bpb} at evaluations) and {@code checkpoints/}; a resumed run continues with the same bits as one
 * that never stopped; {@link #requestStop()} ends the run after the current step with a checkpoint.
 */
public final class Trainer {
    private final TrainerConfig config;
    private final LanguageModelWork work;
    private final TrainingLoop loop;

    public Trainer(CausalLm model, CorpusSplit data, TrainerConfig config, Path runDir, TrainingListener listener) {
        if (model == null || data == null || config == null || runDir == null || listener == null) {
            throw new RecurException("trainer: expected a model, data, a config, a run folder and a listener");
        }
        this.config = config;
        this.work = new LanguageModelWork(model, TokenStreams.of(data), config.batchSize(), config.seqLen(),
                config.evalBatch(), config.dataSeed());
        this.loop = new TrainingLoop(work, config.loopConfig(), runDir, listener);
    }

    public Parameters parameters() {
        return work.parameters();
    }

    /** Asks the run to stop after the current step and write a checkpoint; safe from any thread. */
    public void requestStop() {
        loop.requestStop();
    }

    /**
     * Runs to {@code config.steps()}, or to {@code stopAt} when smaller (for tests of resume), starting from
     * the newest verified checkpoint when {@code resume} (from scratch when there is none).
     */
    public TrainingResult run(boolean resume, long stopAt) throws IOException {
        LoopResult r = loop.run(resume, stopAt);
        Evaluation.Result validation = work.lastEvaluation();
        if (validation == null && r.step() == config.steps()) {
            validation = work.evaluateNow();
        }
        return new TrainingResult(r.startStep(), r.step(), r.lastLoss(), validation, r.units(), r.unitsPerSecond(),
                r.interrupted());
    }
}
