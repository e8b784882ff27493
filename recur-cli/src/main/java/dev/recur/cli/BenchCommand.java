package dev.recur.cli;

import dev.recur.cli.bench.BenchOptions;
import dev.recur.cli.bench.BenchReport;
import dev.recur.cli.bench.BenchSuite;
import dev.recur.cli.bench.BenchSuites;
import dev.recur.core.kernel.VectorRegisters;
import dev.recur.core.parallel.ComputePool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/**
 * {@code recur bench SUITE... [--json]}: measures Recur's kernels and layers on this machine. The suites live in
 * {@code dev.recur.cli.bench} ({@link BenchSuites}); each figure is reported at one thread and at the shared
 * pool's size (the global {@code --threads}, else all cores).
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Measure Recur's kernels and layers on this machine (GFLOP/s, GB/s, tokens/s).",
                "Suites: gemm, scan, lstm, gru, qlstm, mamba, decode, all. Each figure is the median of timed runs after"
                        + " warm-up, at 1 thread and at --threads.",
                "Suites named together share one JVM, and a kernel run earlier can change how the JIT compiles a"
                        + " later one: for reference figures run one suite per process (bench/run.sh does)."})
final class BenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    BenchOptions options;

    @Parameters(paramLabel = "SUITE", arity = "0..*",
            description = "gemm, scan, lstm, gru, qlstm, mamba, decode or all.")
    List<String> suites = new ArrayList<>();

    @Option(names = "--vectors",
            description = "Print the vector width and register count the kernels are sized for here, and exit.")
    boolean vectors;

    @Override
    public Integer call() {
        if (vectors) {
            spec.commandLine().getOut().println(VectorRegisters.describe());
            return 0;
        }
        if (suites.isEmpty()) {
            spec.commandLine().usage(spec.commandLine().getOut());
            return 0;
        }
        List<BenchSuite> chosen;
        try {
            chosen = BenchSuites.select(suites);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        BenchReport report = new BenchReport(spec.commandLine().getOut(), options.json());
        report.note(String.format("recur bench: %s %s, %d cores, pool of %d threads, %s",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), ComputePool.shared().threads(),
                VectorRegisters.describe()));
        for (BenchSuite suite : chosen) {
            report.note("");
            suite.run(report, options.repeats());
        }
        return 0;
    }
}
