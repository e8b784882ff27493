package dev.recur.train.loop;

import dev.recur.core.RecurException;

/**
 * What a training run does, besides the model and the data.
 *
 * @param steps optimiser updates in the whole run (a resumed run continues to this count)
 * @param batchSize parallel byte streams per batch
 * @param seqLen bytes per stream per batch (the truncation length of back-propagation through time)
 * @param learningRate the schedule's peak rate
 * @param schedule a schedule spec ({@link dev.recur.train.schedule.LearningRateSchedule#parse})
 * @param clip the global gradient-norm bound; 0 turns clipping off (the norm is still checked and logged)
 * @param weightDecay AdamW's decoupled decay, applied to matrices only
 * @param evalEvery evaluate held-out bits per byte every this many steps (and at the end); 0: only at the end
 * @param evalBatch parallel streams of the evaluation pass
 * @param checkpointEvery checkpoint every this many steps (and at the end); 0: only at the end
 * @param keepCheckpoints how many of the newest checkpoints to keep
 * @param dataSeed chooses where each training stream starts
 */
public record TrainerConfig(long steps, int batchSize, int seqLen, double learningRate, String schedule,
                            double clip, double weightDecay, long evalEvery, int evalBatch, long checkpointEvery,
                            int keepCheckpoints, long dataSeed) {
    public TrainerConfig {
        check(steps >= 1, "steps", ">= 1", steps);
        check(batchSize >= 1, "batch", ">= 1", batchSize);
        check(seqLen >= 1, "seq-len", ">= 1", seqLen);
        check(learningRate > 0 && Double.isFinite(learningRate), "lr", "a finite number > 0", learningRate);
        check(schedule != null && !schedule.isBlank(), "schedule", "a spec such as 'wsd:warmup=0.02'", schedule);
        check(clip >= 0 && Double.isFinite(clip), "clip", "a finite number >= 0", clip);
        check(weightDecay >= 0 && Double.isFinite(weightDecay), "weight-decay", "a finite number >= 0", weightDecay);
        check(evalEvery >= 0, "eval-every", ">= 0", evalEvery);
        check(evalBatch >= 1, "eval-batch", ">= 1", evalBatch);
        check(checkpointEvery >= 0, "checkpoint-every", ">= 0", checkpointEvery);
        check(keepCheckpoints >= 1, "keep-checkpoints", ">= 1", keepCheckpoints);
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new RecurException("trainer config: " + field + " expected " + expected + ", got " + got);
        }
    }

    /** The loop's part of this config (AdamW). */
    public LoopConfig loopConfig() {
        return new LoopConfig(steps, LoopConfig.ADAMW, learningRate, schedule, clip, weightDecay, evalEvery,
                checkpointEvery, keepCheckpoints);
    }

    /** Target bytes per step. */
    public long tokensPerStep() {
        return (long) batchSize * seqLen;
    }
}
