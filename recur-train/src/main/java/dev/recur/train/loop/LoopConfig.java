package dev.recur.train.loop;

import dev.recur.core.RecurException;
import dev.recur.train.schedule.LearningRateSchedule;
import java.util.Set;

/**
 * How the {@link TrainingLoop} optimises, whatever it trains.
 *
 * @param steps optimiser updates in the whole run (a resumed run continues to this count)
 * @param optimizer {@value #ADAMW} (decoupled decay on matrices only) or {@value #SGD} (momentum 0.9, coupled
 *     L2 decay on matrices only)
 * @param learningRate the schedule's peak rate
 * @param schedule a schedule spec ({@link LearningRateSchedule#parse})
 * @param clip the global gradient-norm bound; 0 turns clipping off (the norm is still checked and logged)
 * @param weightDecay the optimiser's decay
 * @param evalEvery evaluate every this many steps (and at the end); 0: only at the end
 * @param checkpointEvery checkpoint every this many steps (and at the end); 0: only at the end
 * @param keepCheckpoints how many of the newest checkpoints to keep
 */
public record LoopConfig(long steps, String optimizer, double learningRate, String schedule, double clip,
                         double weightDecay, long evalEvery, long checkpointEvery, int keepCheckpoints) {
    public static final String ADAMW = "adamw";
    public static final String SGD = "sgd";
    /** The optimisers by name. */
    public static final Set<String> OPTIMIZERS = Set.of(ADAMW, SGD);

    public LoopConfig {
        check(steps >= 1, "steps", ">= 1", steps);
        check(OPTIMIZERS.contains(optimizer), "optimizer", "adamw or sgd", optimizer);
        check(learningRate > 0 && Double.isFinite(learningRate), "lr", "a finite number > 0", learningRate);
        check(schedule != null && !schedule.isBlank(), "schedule", "a spec such as 'wsd:warmup=0.02'", schedule);
        check(clip >= 0 && Double.isFinite(clip), "clip", "a finite number >= 0", clip);
        check(weightDecay >= 0 && Double.isFinite(weightDecay), "weight-decay", "a finite number >= 0", weightDecay);
        check(evalEvery >= 0, "eval-every", ">= 0", evalEvery);
        check(checkpointEvery >= 0, "checkpoint-every", ">= 0", checkpointEvery);
        check(keepCheckpoints >= 1, "keep-checkpoints", ">= 1", keepCheckpoints);
        // A bad schedule spec fails here, before anything is built or written.
        LearningRateSchedule.parse(schedule, learningRate, steps);
    }

    private static void check(boolean ok, String field, String expected, Object got) {
        if (!ok) {
            throw new RecurException("training config: " + field + " expected " + expected + ", got " + got);
        }
    }

    /** The same loop to {@code value} steps (a resumed run's new end). */
    public LoopConfig withSteps(long value) {
        return new LoopConfig(value, optimizer, learningRate, schedule, clip, weightDecay, evalEvery, checkpointEvery,
                keepCheckpoints);
    }

    /** Whether step {@code step} (1-based) ends with an evaluation. */
    public boolean evaluatesAt(long step) {
        return step == steps || (evalEvery > 0 && step % evalEvery == 0);
    }

    /** Whether step {@code step} (1-based) ends with a checkpoint. */
    public boolean checkpointsAt(long step) {
        return step == steps || (checkpointEvery > 0 && step % checkpointEvery == 0);
    }
}
