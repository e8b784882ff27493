package dev.recur.cli;

import dev.recur.core.RecurException;
import dev.recur.tasks.Task;
import dev.recur.tasks.TaskEntry;
import dev.recur.tasks.TaskParameter;
import dev.recur.tasks.registry.TaskRegistry;
import dev.recur.tasks.TokenTask;
import dev.recur.tasks.series.ForecastTask;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code recur tasks [NAME]}: without a name, lists every synthetic task (name and one line); with one, shows the
 * task's paper, its parameters (default and value in use), its sizes and a decoded sample drawn from the seed.
 * {@code --csv FILE --target COLUMN} shows the forecasting windows of a CSV file.
 */
@Command(name = "tasks",
        mixinStandardHelpOptions = true,
        description = "List the synthetic tasks, or show one: paper, parameters, sizes and a decoded sample.")
final class TasksCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The task to show (see the list).")
    String name;

    @Option(names = {"-p", "--param"}, paramLabel = "KEY=VALUE",
            description = "A task parameter, e.g. -p seq_len=128 (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the sample (default 0).")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Show the csv task on this file.")
    Path csv;

    @Option(names = "--target", paramLabel = "COLUMN", description = "With --csv: the column(s) to forecast.")
    String target;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (csv != null || target != null) {
            if (name != null && !name.equals("csv")) {
                throw new RecurException("tasks: --csv and --target go with the csv task, got task '" + name + "'");
            }
            if (csv == null || target == null) {
                throw new RecurException("tasks: expected both --csv FILE and --target COLUMN, got "
                        + (csv == null ? "--target only" : "--csv only"));
            }
            name = "csv";
            params.put("file", csv.toString());
            params.put("target", target);
        }
        if (name == null) {
            if (!params.isEmpty()) {
                throw new RecurException("tasks: -p needs a task name, got parameters " + params.keySet());
            }
            list(out);
        } else {
            show(TaskRegistry.find(name), out);
        }
        out.flush();
        return 0;
    }

    private static void list(PrintWriter out) {
        int width = TaskRegistry.all().stream().mapToInt(e -> e.name().length()).max().orElse(4);
        out.printf("%-" + width + "s  %s%n", "NAME", "DESCRIPTION");
        for (TaskEntry e : TaskRegistry.all()) {
            out.printf("%-" + width + "s  %s%n", e.name(), e.description());
        }
        out.println();
        out.println("Show one with: recur tasks NAME [-p KEY=VALUE]... [--seed S]");
    }

    private void show(TaskEntry entry, PrintWriter out) throws IOException {
        Task task = entry.create(params, seed);
        out.println(entry.name() + ": " + entry.description());
        out.println("paper: " + entry.paper());
        out.println("parameters:");
        int width = entry.parameters().stream().mapToInt(p -> p.name().length()).max().orElse(4);
        for (TaskParameter p : entry.parameters()) {
            String value = params.getOrDefault(p.name(), p.defaultValue());
            out.printf("  %-" + width + "s  %-12s %s (default %s)%n", p.name(), value.isEmpty() ? "-" : value,
                    p.description(), p.defaultValue().isEmpty() ? "none" : p.defaultValue());
        }
        if (task instanceof TokenTask t) {
            out.printf("sizes: vocabulary %d, seq_len %d, target classes %d%n", t.vocabSize(), t.seqLen(),
                    t.targetClasses());
            out.println("metric: accuracy on the answer positions");
        } else if (task instanceof ForecastTask f) {
            double lyap = f.lyapunovExponent();
            out.println("metric: normalised RMSE and valid prediction time (threshold 0.5)"
                    + (Double.isNaN(lyap) ? ", in time units" : ", in Lyapunov times (exponent " + lyap + ")"));
        }
        out.println("sample (seed " + seed + "):");
        out.print(task.renderSample());
    }
}
