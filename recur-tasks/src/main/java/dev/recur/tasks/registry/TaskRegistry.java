package dev.recur.tasks.registry;

import dev.recur.tasks.TaskEntry;
import dev.recur.tasks.TaskParameter;
import dev.recur.tasks.TaskParams;
import dev.recur.core.RecurException;
import dev.recur.tasks.chaos.ChaosTasks;
import dev.recur.tasks.hmm.HmmConfig;
import dev.recur.tasks.hmm.HmmTask;
import dev.recur.tasks.listops.ListOpsConfig;
import dev.recur.tasks.listops.ListOpsTask;
import dev.recur.tasks.memory.MemoryConfig;
import dev.recur.tasks.memory.MemoryKind;
import dev.recur.tasks.memory.MemoryTask;
import dev.recur.tasks.noncausal.LookaheadConfig;
import dev.recur.tasks.noncausal.LookaheadTask;
import dev.recur.tasks.recall.MqarConfig;
import dev.recur.tasks.recall.MqarTask;
import dev.recur.tasks.recall.SelectiveCopyConfig;
import dev.recur.tasks.recall.SelectiveCopyTask;
import dev.recur.tasks.series.CsvSeries;
import dev.recur.tasks.series.SeriesForecastTask;
import dev.recur.tasks.series.WindowSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;

/** Every task {@code recur tasks} lists, in a fixed order, with its parameters and defaults. */
public final class TaskRegistry {
    private static final List<TaskEntry> ENTRIES = build();

    private TaskRegistry() {
    }

    public static List<TaskEntry> all() {
        return ENTRIES;
    }

    /** The task called {@code name}; an unknown name is a {@link RecurException} listing the known ones. */
    public static TaskEntry find(String name) {
        for (TaskEntry e : ENTRIES) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        throw new RecurException("tasks: unknown task '" + name + "', expected one of "
                + ENTRIES.stream().map(TaskEntry::name).toList());
    }

    private static TaskParameter p(String name, Object value, String description) {
        return new TaskParameter(name, String.valueOf(value), description);
    }

    private static List<TaskEntry> build() {
        List<TaskEntry> list = new ArrayList<>();
        MqarConfig mq = MqarConfig.ZOOLOGY;
        list.add(new TaskEntry("mqar", "Multi-query associative recall: key-value pairs, then each key queried once.",
                "Arora et al. 2023, Zoology: Measuring and Improving Recall in Efficient Language Models",
                List.of(p("vocab_size", mq.vocabSize(), "ids; keys from [1, V/2), values from [V/2, V)"),
                        p("seq_len", mq.seqLen(), "input positions"),
                        p("num_pairs", mq.numPairs(), "key-value pairs, each queried once"),
                        p("power_a", mq.powerA(), "power-law exponent of the query gaps")),
                (params, seed) -> new MqarTask(MqarConfig.from(params), seed)));
        SelectiveCopyConfig sc = SelectiveCopyConfig.MAMBA;
        list.add(new TaskEntry("selective-copy",
                "Selective copying: data tokens scattered among noise, reproduced in order after the markers.",
                "Gu and Dao 2023, Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
                List.of(p("vocab_size", sc.vocabSize(), "ids: 0 noise, V-1 marker, data in [1, V-2]"),
                        p("seq_len", sc.seqLen(), "input positions, the markers included"),
                        p("num_tokens", sc.numTokens(), "data tokens to copy")),
                (params, seed) -> new SelectiveCopyTask(SelectiveCopyConfig.from(params), seed)));
        LookaheadConfig la = LookaheadConfig.DEFAULT;
        list.add(new TaskEntry("lookahead",
                "Lookahead: name the token offset positions later (non-causal; a causal model stays at chance).",
                "a synthetic probe of later context (no source paper); the encoders it separates: Zhang et al. "
                        + "2025, LBMamba: Locally Bi-directional Mamba",
                List.of(p("vocab_size", la.vocabSize(), "ids, uniform"),
                        p("seq_len", la.seqLen(), "input positions"),
                        p("offset", la.offset(), "how far ahead the answer lies")),
                (params, seed) -> new LookaheadTask(LookaheadConfig.from(params), seed)));
        for (MemoryKind kind : MemoryKind.values()) {
            String what = kind == MemoryKind.PARITY
                    ? "N-parity: the parity of the last N bits, at every step."
                    : "N-delayed match to sample: whether the bit N steps back equals the current one.";
            list.add(new TaskEntry(kind.taskName(), what,
                    "Khajehabdollahi et al. 2023, Emergent mechanisms for long timescales depend on training "
                            + "curriculum and affect performance in memory tasks",
                    List.of(p("n", 2, "memory length N (the largest, with several heads)"),
                            p("heads", "single", "single: one head for N; multi: one head per length min_n..N"),
                            p("min_n", 2, "the smallest head's length with heads=multi"),
                            p("seq_len", 100, "bits per example")),
                    (params, seed) -> new MemoryTask(memoryConfig(kind, params), seed)));
        }
        ListOpsConfig lo = ListOpsConfig.LRA;
        list.add(new TaskEntry("listops", "ListOps: nested MIN, MAX, MED, SM (sum mod 10) over digits; answer a digit.",
                "Nangia and Bowman 2018, ListOps; generator and sizes of Tay et al. 2021, Long Range Arena",
                List.of(p("max_depth", lo.maxDepth(), "deepest level of an operator"),
                        p("max_args", lo.maxArgs(), "most arguments per operator"),
                        p("min_length", lo.minLength(), "token count must exceed this"),
                        p("max_length", lo.maxLength(), "token count must be below this; padded input length")),
                (params, seed) -> new ListOpsTask(ListOpsConfig.from(params), seed)));
        list.add(new TaskEntry("hmm",
                "Next-token prediction on HMM emissions; scored as loss above the HMM's own forward-algorithm loss.",
                "Rabiner 1989, A tutorial on hidden Markov models (the forward algorithm)",
                List.of(p("states", 8, "hidden states"),
                        p("vocab_size", 16, "emitted ids"),
                        p("structure", "full", "transitions: full, cyclic (directed ring) or chain (a line)"),
                        p("seq_len", 128, "input positions"),
                        p("concentration", 0.5, "Dirichlet concentration of transition and emission rows")),
                (params, seed) -> new HmmTask(HmmConfig.from(params), seed)));
        list.addAll(ChaosTasks.entries());
        list.add(new TaskEntry("csv",
                "Forecast columns of your own CSV file; windows split by time (the last rows validate).",
                "user data; metrics as for the chaotic systems, valid prediction time in time units",
                List.of(p("file", "", "the CSV file (header row, one row per time step)"),
                        p("target", "", "the column(s) to forecast, comma-separated"),
                        p("dt", 1.0, "time between rows"),
                        p("history", 32, "rows the model reads"),
                        p("horizon", 8, "rows to forecast"),
                        p("validation", 0.2, "share of the rows, at the end, held out")),
                (params, seed) -> {
                    String file = params.string("file");
                    String target = params.string("target");
                    if (file.isBlank() || target.isBlank()) {
                        throw new RecurException("task csv: expected a file and a target column (--csv FILE --target"
                                + " COLUMN), got file '" + file + "', target '" + target + "'");
                    }
                    List<String> columns = Arrays.stream(target.split(",")).map(String::trim).toList();
                    return new SeriesForecastTask("csv", CsvSeries.read(Path.of(file), columns, params.real("dt")),
                            new WindowSpec(params.integer("history"), params.integer("horizon"),
                                    params.real("validation")), Double.NaN, seed);
                }));
        return List.copyOf(list);
    }

    private static MemoryConfig memoryConfig(MemoryKind kind, TaskParams params) {
        String heads = params.string("heads");
        return switch (heads) {
            case "single" -> MemoryConfig.single(kind, params.integer("n"), params.integer("seq_len"));
            case "multi" -> MemoryConfig.multi(kind, params.integer("min_n"), params.integer("n"),
                    params.integer("seq_len"));
            default -> throw new RecurException("task " + kind.taskName() + ": parameter heads expected single or "
                    + "multi, got '" + heads + "'");
        };
    }
}
