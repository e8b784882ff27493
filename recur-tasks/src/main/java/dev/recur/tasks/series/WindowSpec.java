package dev.recur.tasks.series;

import dev.recur.core.RecurException;

/**
 * How a series is cut into forecasting windows.
 *
 * @param history samples the model reads
 * @param horizon samples it must forecast, right after the history
 * @param validationFraction the share of the series, at its end, kept for validation, in [0, 1)
 */
public record WindowSpec(int history, int horizon, double validationFraction) {
    public WindowSpec {
        if (history < 1 || horizon < 1) {
            throw new RecurException("windows: expected history >= 1 and horizon >= 1, got history " + history
                    + ", horizon " + horizon);
        }
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new RecurException("windows: validation fraction expected in [0, 1), got " + validationFraction);
        }
    }

    /** Samples in one window. */
    public int span() {
        return history + horizon;
    }
}
