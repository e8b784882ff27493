package dev.recur.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import picocli.CommandLine;

/** Runs the {@code recur} command line in process and captures its exit code, stdout and stderr. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    List<String> errLines() {
        return err.lines().toList();
    }

    /** The reference case folder {@code name}; skips the test when the shared reference files are absent. */
    static Path golden(String name) {
        String shared = System.getProperty("recur.shared.dir");
        Assumptions.assumeTrue(shared != null, "recur.shared.dir is not set; skipping reference cases");
        Path dir = Path.of(shared, "golden", name);
        Assumptions.assumeTrue(Files.isDirectory(dir), "no reference case at " + dir + "; skipping");
        return dir;
    }
}
