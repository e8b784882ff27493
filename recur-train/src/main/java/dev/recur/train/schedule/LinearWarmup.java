package dev.recur.train.schedule;

import dev.recur.core.RecurException;

/**
 * A linear ramp in front of another schedule: for {@code step < warmupSteps} the rate is
 * {@code after.at(0) * (step + 1) / warmupSteps}, reaching {@code after}'s starting rate on the last warmup
 * step (so no update is wasted at rate 0); afterwards it is {@code after.at(step - warmupSteps)}, so the
 * wrapped schedule starts its own clock when warmup ends.
 *
 * @param warmupSteps length of the ramp, {@code >= 1}
 * @param after the schedule that follows
 */
public record LinearWarmup(long warmupSteps, LearningRateSchedule after) implements LearningRateSchedule {
    public LinearWarmup {
        if (warmupSteps < 1) {
            throw new RecurException("LinearWarmup: warmupSteps expected >= 1, got " + warmupSteps);
        }
        if (after == null) {
            throw new RecurException("LinearWarmup: after expected a schedule to follow the warmup, got null");
        }
    }

    @Override
    public double at(long step) {
        ScheduleChecks.requireStep("LinearWarmup", step);
        if (step < warmupSteps) {
            return after.at(0) * (step + 1) / warmupSteps;
        }
        return after.at(step - warmupSteps);
    }
}
