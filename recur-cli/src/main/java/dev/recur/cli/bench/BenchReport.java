package dev.recur.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a suite's results as they arrive: an aligned table under a few lines of context, or (with
 * {@code --json}) one JSON object per line and nothing else, for scripts.
 */
public final class BenchReport implements BenchSink {
    private static final String ROW = "%-26s %-16s %-10s %7s %12s %-9s %10s %5s %9s  %-24s %s%n";

    private final PrintWriter out;
    private final boolean json;
    private boolean headerDone;

    public BenchReport(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** A line of context above the table (the machine, the convention); omitted in JSON mode. */
    @Override
    public void note(String line) {
        if (!json) {
            out.println(line);
            out.flush();
        }
    }

    /** Prints one result now. */
    @Override
    public void add(BenchResult r) {
        if (json) {
            out.println(r.toJson());
        } else {
            if (!headerDone) {
                out.printf(Locale.ROOT, ROW, "name", "shape", "kernel", "threads", "value", "unit", "ms/call",
                        "runs", "B/call", "vs (other, ratio)", "detail");
                headerDone = true;
            }
            String vs = r.compared()
                    ? String.format(Locale.ROOT, "%s (%.4g, %.3f)", r.vs(), r.other(), r.ratio()) : "";
            out.printf(Locale.ROOT, ROW, r.name(), r.shape(), r.kernel(), r.threads(),
                    String.format(Locale.ROOT, "%.4g", r.value()), r.unit(),
                    String.format(Locale.ROOT, "%.3f", r.millisPerCall()), r.repeats(),
                    Double.isNaN(r.bytesPerCall()) ? "-" : String.format(Locale.ROOT, "%.0f", r.bytesPerCall()), vs,
                    r.detail() == null ? "" : r.detail());
        }
        out.flush();
    }
}
