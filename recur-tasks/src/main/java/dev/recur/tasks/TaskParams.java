package dev.recur.tasks;

import dev.recur.core.RecurException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter values for one task: the user's values over the declared defaults. Unknown names and values
 * that do not parse are {@link RecurException}s naming the task, the parameter, the expected and the got.
 */
public final class TaskParams {
    private final String task;
    private final Map<String, String> values = new LinkedHashMap<>();

    /**
     * @param task the task's name, for messages
     * @param declared the parameters the task accepts, with their defaults
     * @param given the user's values, by name
     */
    public TaskParams(String task, List<TaskParameter> declared, Map<String, String> given) {
        this.task = task;
        for (TaskParameter p : declared) {
            values.put(p.name(), p.defaultValue());
        }
        for (Map.Entry<String, String> e : given.entrySet()) {
            if (!values.containsKey(e.getKey())) {
                throw new RecurException("task " + task + ": unknown parameter '" + e.getKey() + "', expected one of "
                        + values.keySet());
            }
            values.put(e.getKey(), e.getValue());
        }
    }

    /** Every parameter and its value, in declaration order. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String string(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("task " + task + " declares no parameter " + name);
        }
        return v;
    }

    public int integer(String name) {
        String v = string(name);
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new RecurException("task " + task + ": parameter " + name + " expected an integer, got '" + v + "'");
        }
    }

    public double real(String name) {
        String v = string(name);
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new RecurException("task " + task + ": parameter " + name + " expected a finite number, got '" + v + "'");
    }
}
