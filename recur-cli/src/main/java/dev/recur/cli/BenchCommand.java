package dev.recur.cli;

import dev.recur.cli.bench.GemmSuite;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code recur bench SUITE}: measures Recur's kernels on this machine. Each suite is its own subcommand class
 * in {@code dev.recur.cli.bench}, sharing {@link dev.recur.cli.bench.BenchOptions} (table or JSON lines,
 * repeats); the global {@code --threads} sizes the compute pool.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure Recur's kernels on this machine (GFLOP/s, tokens/s).",
        subcommands = {GemmSuite.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
