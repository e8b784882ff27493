package dev.recur.cli.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recur.core.RecurException;
import dev.recur.tasks.Task;
import dev.recur.tasks.registry.TaskRegistry;
import dev.recur.train.schedule.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of {@code recur train}'s configuration that a task or forecasting run uses, read from the merged
 * settings when the run starts and from the run folder's {@value TrainSettings#FILE} when {@code recur eval}
 * rebuilds the task and the model. A CSV run ({@code --csv FILE --target COLUMN}) is the registry's {@code csv}
 * task with the file (made absolute) and the target columns as its parameters.
 *
 * @param task the registry name
 * @param params the task's parameters as given (the task's defaults fill in the rest)
 * @param extraColumns CSV columns read beside the targets as more training series (not scored)
 */
public record TaskRunConfig(String task, Map<String, String> params, List<String> extraColumns, String model,
                            int width, int layers, int heads, long steps, int batch, double lr, String schedule,
                            double clip, double weightDecay, long seed, long evalEvery, long checkpointEvery) {
    public TaskRunConfig {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        extraColumns = List.copyOf(extraColumns);
        if (steps < 1 || batch < 1 || evalEvery < 0 || checkpointEvery < 0) {
            throw new RecurException("recur train --task: expected steps >= 1, batch >= 1, eval_every >= 0 and "
                    + "checkpoint_every >= 0, got " + steps + ", " + batch + ", " + evalEvery + ", " + checkpointEvery);
        }
        if (!(lr > 0) || !(clip >= 0) || !(weightDecay >= 0)) {
            throw new RecurException("recur train --task: expected lr > 0, clip >= 0 and weight_decay >= 0, got "
                    + lr + ", " + clip + ", " + weightDecay);
        }
        // A bad schedule spec fails here, before a run folder is made.
        LearningRateSchedule.parse(schedule, lr, steps);
    }

    /** Whether the settings describe a task or CSV run (rather than a language model). */
    public static boolean isTaskRun(Map<String, JsonNode> flat) {
        return present(flat, "task") || present(flat, "csv") || present(flat, "target")
                || !list(flat, "columns").isEmpty() || flat.keySet().stream().anyMatch(k -> k.startsWith("params."));
    }

    /** The task run described by flattened settings; {@code where} names their source in errors. */
    public static TaskRunConfig from(Map<String, JsonNode> flat, String where) {
        Map<String, String> params = new LinkedHashMap<>();
        flat.forEach((k, v) -> {
            if (k.startsWith("params.")) {
                params.put(k.substring("params.".length()), v.asText());
            }
        });
        String task = present(flat, "task") ? flat.get("task").asText() : null;
        List<String> extra = new ArrayList<>();
        if (present(flat, "csv")) {
            if (task != null && !task.equals("csv")) {
                throw new RecurException(where + ": --csv goes with the csv task, got task '" + task + "'");
            }
            List<String> targets = list(flat, "target");
            if (targets.isEmpty()) {
                throw new RecurException(where + ": --csv needs --target COLUMN (the column(s) to forecast)");
            }
            task = "csv";
            params.put("file", Path.of(flat.get("csv").asText()).toAbsolutePath().toString());
            params.put("target", String.join(",", targets));
            extra.addAll(list(flat, "columns"));
            extra.removeAll(targets);
        } else if (present(flat, "target") || !list(flat, "columns").isEmpty()) {
            throw new RecurException(where + ": --target and --columns go with --csv FILE");
        }
        if (task == null) {
            throw new RecurException(where + ": expected a task (--task NAME or --csv FILE)");
        }
        return new TaskRunConfig(task, params, extra, text(flat, "model", where), integer(flat, "width", where),
                integer(flat, "layers", where), integer(flat, "heads", where), number(flat, "steps", where).longValue(),
                integer(flat, "batch", where), number(flat, "lr", where).doubleValue(), text(flat, "schedule", where),
                number(flat, "clip", where).doubleValue(), number(flat, "weight_decay", where).doubleValue(),
                number(flat, "seed", where).longValue(), number(flat, "eval_every", where).longValue(),
                number(flat, "checkpoint_every", where).longValue());
    }

    /** The task run saved in {@code runDir}'s {@value TrainSettings#FILE}. */
    public static TaskRunConfig read(Path runDir) throws IOException {
        Path file = runDir.resolve(TrainSettings.FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file + " (not a run folder of recur train --task or --csv)");
        }
        return from(ConfigFile.read(file), file.toString());
    }

    /** Builds the task, CSV columns beyond the targets included, with the run's seed. */
    public Task createTask() throws IOException {
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

    private static boolean present(Map<String, JsonNode> flat, String key) {
        JsonNode n = flat.get(key);
        return n != null && !n.isNull() && !(n.isTextual() && n.asText().isEmpty());
    }

    private static List<String> list(Map<String, JsonNode> flat, String key) {
        List<String> out = new ArrayList<>();
        JsonNode n = flat.get(key);
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isArray()) {
            n.forEach(i -> out.add(i.asText().trim()));
        } else {
            for (String s : n.asText().split(",")) {
                out.add(s.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    private static JsonNode node(Map<String, JsonNode> flat, String key, String where) {
        JsonNode n = flat.get(key);
        if (n == null || n.isNull()) {
            throw new RecurException(where + ": expected a value for '" + key + "', got none");
        }
        return n;
    }

    private static String text(Map<String, JsonNode> flat, String key, String where) {
        return node(flat, key, where).asText();
    }

    private static Number number(Map<String, JsonNode> flat, String key, String where) {
        JsonNode n = node(flat, key, where);
        if (!n.isNumber()) {
            throw new RecurException(where + ": key '" + key + "': expected a number, got " + n);
        }
        return n.numberValue();
    }

    private static int integer(Map<String, JsonNode> flat, String key, String where) {
        JsonNode n = node(flat, key, where);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new RecurException(where + ": key '" + key + "': expected an integer, got " + n);
        }
        return n.intValue();
    }
}
