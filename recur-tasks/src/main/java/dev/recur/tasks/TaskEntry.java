package dev.recur.tasks;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A task as the registry lists it: its name, a one-line description, the paper it follows, its parameters with
 * their defaults, and how to build it.
 *
 * @param name the registry name, e.g. {@code mqar}
 * @param description one line
 * @param paper the paper whose setup the task follows
 * @param parameters the accepted parameters, with defaults
 * @param factory builds the task from parameter values and a seed
 */
public record TaskEntry(String name, String description, String paper, List<TaskParameter> parameters,
                        Factory factory) {
    /** Builds a task from its validated parameter values and a seed. */
    @FunctionalInterface
    public interface Factory {
        /** @throws IOException when the task reads a file (user data) and cannot */
        Task create(TaskParams params, long seed) throws IOException;
    }

    public TaskEntry {
        parameters = List.copyOf(parameters);
    }

    /** The task with the given parameter values (others at their defaults) and seed. */
    public Task create(Map<String, String> values, long seed) throws IOException {
        return factory.create(new TaskParams(name, parameters, values), seed);
    }
}
