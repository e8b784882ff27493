package dev.recur.cli.bench;

/**
 * Where a suite sends what it measures: context lines and result rows, in order. {@link BenchReport} prints
 * them; a runner that adds peers' figures collects them instead.
 */
public interface BenchSink {
    /** A line of context (machine, convention); a sink may drop it. */
    void note(String line);

    /** One measured figure, as soon as it is known. */
    void add(BenchResult result);
}
