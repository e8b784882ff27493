package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.tasks.TaskEntry;
import dev.recur.tasks.registry.TaskRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recur tasks}: lists every task, shows one with its parameters and a sample, and fails cleanly. */
class TasksCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsEveryRegisteredTask() {
        CliRun run = CliRun.of("tasks");
        assertThat(run.exitCode()).isZero();
        for (TaskEntry e : TaskRegistry.all()) {
            assertThat(run.out()).contains(e.name() + " ").contains(e.description());
        }
    }

    @Test
    void showsParametersAndADecodedSample() {
        CliRun run = CliRun.of("tasks", "mqar", "-p", "seq_len=32", "-p", "num_pairs=4", "--seed", "3");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Zoology").contains("seq_len").contains("32").contains("default 64")
                .contains("sizes: vocabulary 8192, seq_len 32").contains("answers:");
        // four answers, as position=value pairs
        String answers = run.out().lines().filter(l -> l.startsWith("answers:")).findFirst().orElseThrow();
        assertThat(answers.trim().split(" ")).hasSize(5);
    }

    @Test
    void showsAForecastingTaskWithItsBaseline() {
        CliRun run = CliRun.of("tasks", "lorenz96", "-p", "samples=2000");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Lyapunov times (exponent 1.68)").contains("persistence baseline");
    }

    @Test
    void csvOptionsShowTheFilesWindows() throws IOException {
        StringBuilder text = new StringBuilder("t,y\n");
        for (int i = 0; i < 100; i++) {
            text.append(i).append(',').append(Math.cos(i * 0.3)).append('\n');
        }
        Path f = dir.resolve("series.csv");
        Files.writeString(f, text);
        CliRun run = CliRun.of("tasks", "--csv", f.toString(), "--target", "y", "-p", "history=8", "-p", "horizon=4");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("series: 100 samples x 1 dims").contains("persistence baseline");
        Files.writeString(f, "t,y\n1,2\n2,x\n");
        CliRun bad = CliRun.of("tasks", "--csv", f.toString(), "--target", "y");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.errLines()).hasSize(1);
        assertThat(bad.err()).contains("series.csv:3: column 'y'");
    }

    @Test
    void badNamesAndParametersExitTwoWithOneLine() {
        for (String[] args : new String[][] {
            {"tasks", "nope"},
            {"tasks", "mqar", "-p", "seq_len=abc"},
            {"tasks", "mqar", "-p", "bogus=1"},
            {"tasks", "mqar", "-p", "num_pairs=100"},
            {"tasks", "--target", "y"},
        }) {
            CliRun run = CliRun.of(args);
            assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(run.errLines()).as(run.err()).hasSize(1);
            assertThat(run.err()).startsWith("recur: ");
        }
    }
}
