package dev.recur.train.schedule;

import dev.recur.core.RecurException;

/**
 * Cosine annealing from {@code peak} to {@code floor} (Loshchilov and Hutter 2017, "SGDR: Stochastic Gradient
 * Descent with Warm Restarts", without restarts): {@code floor + (peak - floor) * (1 + cos(pi * step /
 * decaySteps)) / 2} for {@code step < decaySteps}, then {@code floor}.
 *
 * @param peak the rate at step 0
 * @param floor the rate the schedule ends at, {@code <= peak}
 * @param decaySteps the number of steps from peak to floor, {@code >= 1}
 */
public record Cosine(double peak, double floor, long decaySteps) implements LearningRateSchedule {
    public Cosine {
        ScheduleChecks.requireRate("Cosine", "peak", peak);
        ScheduleChecks.requireRate("Cosine", "floor", floor);
        if (floor > peak) {
            throw new RecurException("Cosine: floor expected <= peak " + peak + ", got " + floor);
        }
        if (decaySteps < 1) {
            throw new RecurException("Cosine: decaySteps expected >= 1, got " + decaySteps);
        }
    }

    @Override
    public double at(long step) {
        ScheduleChecks.requireStep("Cosine", step);
        if (step >= decaySteps) {
            return floor;
        }
        return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * step / decaySteps));
    }
}
