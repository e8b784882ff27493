package dev.recur.cli.bench;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options every bench suite shares: output format and the number of timed runs per figure. */
public final class BenchOptions {
    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object per line instead of a table.")
    boolean json;

    private int repeats = 10;

    @Option(names = "--repeats", paramLabel = "R",
            description = "Timed runs per figure; the median is reported (default: ${DEFAULT-VALUE}; slow reference"
                    + " kernels on big shapes get fewer, to fit a time budget).",
            defaultValue = "10")
    void setRepeats(int value) {
        if (value < 1 || value > 10_000) {
            throw new ParameterException(spec.commandLine(),
                    "--repeats: expected a count from 1 to 10000, got " + value);
        }
        repeats = value;
    }

    /** Whether to print JSON lines. */
    public boolean json() {
        return json;
    }

    /** Timed runs per figure. */
    public int repeats() {
        return repeats;
    }
}
