package dev.recur.cli.bench;

import java.util.Arrays;

/**
 * Times an operation the way every suite reports it: warm up (so the JIT has compiled the kernel), size a
 * batch of calls so one timed run lasts at least {@code minRunNanos}, then take the median of the runs.
 */
public final class Timing {
    private Timing() {}

    /** The outcome: median nanoseconds per call and how many timed runs it is the median of. */
    public record Result(double nanosPerCall, int repeats) {}

    /**
     * Median time per call of {@code op} over at most {@code repeats} timed runs after {@code warmupNanos} of
     * warm-up (none when zero); fewer runs when they would take longer than {@code budgetNanos} in all,
     * which keeps slow reference kernels on big shapes from dominating a suite.
     */
    public static Result median(Runnable op, long warmupNanos, long minRunNanos, int repeats, long budgetNanos) {
        long start = System.nanoTime();
        long calls = 0;
        // The fastest warm-up call sizes the runs: the mean would count JIT compilation and descheduling.
        double fastest = Double.MAX_VALUE;
        while (System.nanoTime() - start < warmupNanos) {
            long t0 = System.nanoTime();
            op.run();
            fastest = Math.min(fastest, System.nanoTime() - t0);
            calls++;
        }
        double[] samples = new double[repeats];
        int first = 0;
        if (calls == 0) {
            // No warm-up asked for (a slow kernel on a big shape): the first timed call sizes the rest.
            long t0 = System.nanoTime();
            op.run();
            samples[first++] = System.nanoTime() - t0;
            fastest = samples[0];
        }
        double perCall = Math.max(1, fastest);
        int batch = (int) Math.max(1, Math.min(1_000_000, Math.ceil(minRunNanos / perCall)));
        int runs = (int) Math.max(1, Math.min(repeats, Math.floor(budgetNanos / (perCall * batch))));
        samples = Arrays.copyOf(samples, Math.max(runs, first));
        runs = samples.length;
        for (int r = first; r < runs; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                op.run();
            }
            samples[r] = (double) (System.nanoTime() - t0) / batch;
        }
        Arrays.sort(samples);
        double median = runs % 2 == 1 ? samples[runs / 2] : (samples[runs / 2 - 1] + samples[runs / 2]) / 2;
        return new Result(median, runs);
    }
}
