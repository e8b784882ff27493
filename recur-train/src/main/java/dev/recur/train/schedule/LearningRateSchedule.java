package dev.recur.train.schedule;

import dev.recur.core.RecurException;

/**
 * The learning rate as a function of the optimiser step. Steps count updates from 0: {@code at(0)} is the rate
 * of the first update. Implementations are pure functions of the step, so resuming a run needs only the step.
 */
public interface LearningRateSchedule {
    /** The learning rate for update number {@code step} (0-based, {@code >= 0}). */
    double at(long step);

    /**
     * Builds a schedule from a compact spec, as given on the command line. Grammar:
     *
     * <pre>
     *   spec   := kind [ ':' option ( ',' option )* ]
     *   kind   := 'constant' | 'cosine' | 'wsd'
     *   option := key '=' value
     * </pre>
     *
     * Keys by kind (anything else is rejected):
     *
     * <ul>
     *   <li>{@code constant}: {@code warmup}.
     *   <li>{@code cosine}: {@code warmup}, {@code min}. Linear warmup to {@code peak}, then a cosine to the
     *       floor over the remaining steps.
     *   <li>{@code wsd}: {@code warmup}, {@code decay} (default {@code 0.2}), {@code min}, {@code tail}
     *       ({@code linear} (default), {@code cosine} or {@code sqrt}). See {@link WarmupStableDecay}.
     * </ul>
     *
     * {@code warmup} and {@code decay} are step counts when written as integers ({@code warmup=100}) and
     * fractions of {@code totalSteps} when written with a decimal point or exponent ({@code decay=0.2}), rounded
     * to the nearest step. {@code min} is the floor as a fraction of {@code peak}, in {@code [0, 1]} (default 0).
     * {@code warmup} defaults to 0. Examples: {@code wsd:warmup=100,decay=0.2,tail=cosine},
     * {@code cosine:warmup=50,min=0.1}, {@code constant}.
     *
     * @param spec the spec string
     * @param peak the learning rate after warmup (finite, {@code >= 0})
     * @param totalSteps the number of updates the run will make ({@code >= 1})
     * @throws RecurException naming the spec, the option, what was expected and what was found
     */
    static LearningRateSchedule parse(String spec, double peak, long totalSteps) {
        return ScheduleSpec.parse(spec, peak, totalSteps);
    }
}
