package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.parallel.ComputePool;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The {@code bench} command's wiring and the global {@code --threads} option (no timing is run here). */
class BenchCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void benchListsItsSuites() {
        assertThat(run("bench")).isZero();
        assertThat(out.toString()).contains("gemm");
    }

    @Test
    void threadsSizesTheSharedPoolFromAnyLevel() {
        assertThat(run("--threads", "2", "bench")).isZero();
        assertThat(ComputePool.shared().threads()).isEqualTo(2);
        assertThat(run("bench", "--threads", "1")).isZero();
        assertThat(ComputePool.shared().threads()).isEqualTo(1);
    }

    @Test
    void badThreadCountIsAUsageErrorNamingTheOption() {
        assertThat(run("--threads", "0", "bench", "gemm")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--threads").contains("got 0");
    }

    @Test
    void unknownSuiteIsAUsageErrorListingTheSuites() {
        assertThat(run("bench", "lstm", "nosuch")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("nosuch").contains("gemm").contains("decode").contains("all");
        assertThat(out.toString()).doesNotContain("tokens/s");
    }

    @Test
    void badRepeatsIsAUsageErrorNamingTheOption() {
        assertThat(run("bench", "gemm", "--repeats", "0")).isEqualTo(Main.EXIT_USAGE);
        assertThat(err.toString()).contains("--repeats").contains("got 0");
    }
}
