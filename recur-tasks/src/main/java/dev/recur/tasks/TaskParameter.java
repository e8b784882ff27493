package dev.recur.tasks;

/**
 * One parameter a task accepts: its name, its default (as the command line would spell it) and what it means.
 *
 * @param name the key, e.g. {@code seq_len}
 * @param defaultValue the value used when the parameter is not given
 * @param description one line for {@code recur tasks NAME}
 */
public record TaskParameter(String name, String defaultValue, String description) {
}
