package dev.recur.train.schedule;

import dev.recur.core.RecurException;

/**
 * Warmup-stable-decay ("trapezoidal") schedule (Hu et al. 2024, "MiniCPM: Unveiling the Potential of Small
 * Language Models with Scalable Training Strategies"; Hägele et al. 2024, "Scaling Laws and Compute-Optimal
 * Training beyond Fixed Training Durations"): a linear warmup to {@code peak}, a long plateau at {@code peak},
 * and a short decay tail to {@code floor} over the last {@code decaySteps} steps. A run can branch a tail off
 * any plateau checkpoint, which is what makes the schedule independent of the training length.
 *
 * <p>With {@code decayStart = totalSteps - decaySteps}: for {@code step < warmupSteps} the rate is
 * {@code peak * (step + 1) / warmupSteps}; up to {@code decayStart} it is {@code peak}; then, with
 * {@code p = min(1, (step - decayStart) / decaySteps)}, it is {@code floor + (peak - floor) * shape(p)}.
 *
 * @param peak the plateau rate
 * @param floor the rate the tail ends at, {@code <= peak}
 * @param totalSteps the run length, {@code >= 1}
 * @param warmupSteps length of the warmup, {@code >= 0}
 * @param decaySteps length of the tail, {@code >= 1}, with {@code warmupSteps + decaySteps <= totalSteps}
 * @param tail the shape of the decay
 */
public record WarmupStableDecay(double peak, double floor, long totalSteps, long warmupSteps, long decaySteps,
                                Tail tail) implements LearningRateSchedule {
    /** Shape of the decay tail as a function of its progress {@code p} in {@code [0, 1]}, from 1 down to 0. */
    public enum Tail {
        /** {@code 1 - p}. */
        LINEAR,
        /** {@code (1 + cos(pi * p)) / 2}. */
        COSINE,
        /** {@code 1 - sqrt(p)}, the cooldown Hägele et al. 2024 found best. */
        SQRT;

        double shape(double p) {
            return switch (this) {
                case LINEAR -> 1 - p;
                case COSINE -> 0.5 * (1 + Math.cos(Math.PI * p));
                case SQRT -> 1 - Math.sqrt(p);
            };
        }
    }

    public WarmupStableDecay {
        ScheduleChecks.requireRate("WarmupStableDecay", "peak", peak);
        ScheduleChecks.requireRate("WarmupStableDecay", "floor", floor);
        if (floor > peak) {
            throw new RecurException("WarmupStableDecay: floor expected <= peak " + peak + ", got " + floor);
        }
        if (totalSteps < 1) {
            throw new RecurException("WarmupStableDecay: totalSteps expected >= 1, got " + totalSteps);
        }
        if (warmupSteps < 0) {
            throw new RecurException("WarmupStableDecay: warmupSteps expected >= 0, got " + warmupSteps);
        }
        if (decaySteps < 1) {
            throw new RecurException("WarmupStableDecay: decaySteps expected >= 1, got " + decaySteps);
        }
        if (warmupSteps + decaySteps > totalSteps) {
            throw new RecurException("WarmupStableDecay: warmupSteps + decaySteps expected <= totalSteps "
                    + totalSteps + ", got " + warmupSteps + " + " + decaySteps);
        }
        if (tail == null) {
            throw new RecurException("WarmupStableDecay: tail expected LINEAR, COSINE or SQRT, got null");
        }
    }

    /** The first step of the decay tail. */
    public long decayStart() {
        return totalSteps - decaySteps;
    }

    @Override
    public double at(long step) {
        ScheduleChecks.requireStep("WarmupStableDecay", step);
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        if (step < decayStart()) {
            return peak;
        }
        double p = Math.min(1.0, (double) (step - decayStart()) / decaySteps);
        return floor + (peak - floor) * tail.shape(p);
    }
}
