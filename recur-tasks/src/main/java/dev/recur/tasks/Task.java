package dev.recur.tasks;

/**
 * A synthetic or user-data task: a seeded generator of batches with its encoding and its metric. Token tasks
 * implement {@link TokenTask}; forecasting tasks implement {@link dev.recur.tasks.series.ForecastTask}.
 */
public interface Task {
    /** The registry name, e.g. {@code mqar}. */
    String name();

    /** One example from this task, decoded for people (what {@code recur tasks NAME} prints). */
    String renderSample();
}
