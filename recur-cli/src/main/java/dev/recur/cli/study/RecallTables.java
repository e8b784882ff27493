package dev.recur.cli.study;

import dev.recur.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes the recall study's {@code results.csv} and {@code results.md}. */
public final class RecallTables {
    private RecallTables() {}

    /** One CSV row per result, with a header; fields never contain commas except the quoted spec. */
    public static String csv(List<RecallResult> results) {
        StringBuilder s = new StringBuilder("family,ratio,spec,parameters,accuracy,loss,steps,seconds\n");
        for (RecallResult r : results) {
            s.append(String.format(Locale.ROOT, "%s,%s,\"%s\",%d,%.4f,%.4f,%d,%.1f%n", r.family(), r.ratio(),
                    r.spec(), r.parameters(), r.accuracy(), r.loss(), r.steps(), r.seconds()));
        }
        return s.toString();
    }

    /** A Markdown table under a heading line that names the task and the training budget. */
    public static String markdown(String heading, List<RecallResult> results) {
        StringBuilder s = new StringBuilder(heading).append("\n\n");
        s.append("| family | linear:attn | spec | parameters | accuracy | steps | seconds |\n");
        s.append("| --- | --- | --- | ---: | ---: | ---: | ---: |\n");
        for (RecallResult r : results) {
            s.append(String.format(Locale.ROOT, "| %s | %s | `%s` | %,d | %.2f%% | %d | %.0f |%n", r.family(),
                    r.ratio(), r.spec(), r.parameters(), 100 * r.accuracy(), r.steps(), r.seconds()));
        }
        return s.toString();
    }

    static void write(Path file, String text) throws IOException {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
    }
}
