package dev.recur.cli.bench;

/** One family of measurements that {@code recur bench NAME} runs. */
public interface BenchSuite {
    /** The name on the command line ({@code gemm}, {@code lstm}, ...). */
    String name();

    /** One line for the help text. */
    String description();

    /** Measures every row of the suite, each the median of {@code repeats} timed runs after warm-up. */
    void run(BenchSink sink, int repeats);
}
