package dev.recur.train.run;

import dev.recur.core.RecurException;
import dev.recur.tasks.Task;
import dev.recur.tasks.registry.TaskRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data of a task or forecasting run: a task of the registry and its parameters. A CSV run
 * ({@code --csv FILE --target COLUMN}) is the registry's {@code csv} task with the file (made absolute) and the
 * target columns as its parameters, and the other columns ({@code --columns}) as more training series.
 *
 * @param task the registry name
 * @param params the task's parameters as given (the task's defaults fill in the rest)
 * @param extraColumns CSV columns read beside the targets as more training series (not scored)
 */
public record TaskSource(String task, Map<String, String> params, List<String> extraColumns) {
    public TaskSource {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        extraColumns = List.copyOf(extraColumns);
    }

    /** Whether the settings describe a task or CSV run (rather than a language model). */
    public static boolean describedBy(RunSettings s) {
        return s.present("task") || s.present("csv") || s.present("target") || s.present("columns")
                || s.present("params");
    }

    /** The task the settings name; the errors name their source. */
    public static TaskSource from(RunSettings s) {
        String where = s.where();
        Map<String, String> params = new LinkedHashMap<>(s.mapping("params"));
        String task = s.present("task") ? s.text("task") : null;
        List<String> extra = new ArrayList<>();
        if (s.present("csv")) {
            if (task != null && !task.equals("csv")) {
                throw new RecurException(where + ": --csv goes with the csv task, got task '" + task + "'");
            }
            List<String> targets = s.list("target");
            if (targets.isEmpty()) {
                throw new RecurException(where + ": --csv needs --target COLUMN (the column(s) to forecast)");
            }
            task = "csv";
            params.put("file", s.path("csv").toAbsolutePath().toString());
            params.put("target", String.join(",", targets));
            extra.addAll(s.list("columns"));
            extra.removeAll(targets);
        } else if (s.present("target") || s.present("columns")) {
            throw new RecurException(where + ": --target and --columns go with --csv FILE");
        }
        if (task == null) {
            throw new RecurException(where + ": expected a task (--task NAME or --csv FILE)");
        }
        return new TaskSource(task, params, extra);
    }

    /** Builds the task, CSV columns beyond the targets included, with the run's seed. */
    public Task create(long seed) throws IOException {
        Map<String, String> p = new LinkedHashMap<>(params);
        if (!extraColumns.isEmpty()) {
            p.put("target", p.get("target") + "," + String.join(",", extraColumns));
        }
        return TaskRegistry.find(task).create(p, seed);
    }

    /** The number of leading series dimensions that are scored (the targets); all of them outside CSV runs. */
    public int scoredDims(int dims) {
        return extraColumns.isEmpty() ? dims : dims - extraColumns.size();
    }

    /** What the data is, for messages: the CSV file, or the task and its parameters. */
    public String dataName() {
        return task.equals("csv") ? Path.of(params.get("file")).toString() : "task " + task + " " + params;
    }
}
