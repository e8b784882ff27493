package dev.recur.train.schedule;

import dev.recur.core.RecurException;

/** Validation shared by the schedules. */
final class ScheduleChecks {
    private ScheduleChecks() {}

    /** Rejects negative steps, naming the schedule. */
    static void requireStep(String schedule, long step) {
        if (step < 0) {
            throw new RecurException(schedule + ".at: step expected >= 0, got " + step);
        }
    }

    /** Rejects rates that are not finite or are negative, naming the schedule and field. */
    static void requireRate(String schedule, String field, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new RecurException(schedule + ": " + field + " expected a finite learning rate >= 0, got " + value);
        }
    }
}
