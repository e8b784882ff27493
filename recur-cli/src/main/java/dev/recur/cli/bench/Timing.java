package dev.recur.cli.bench;

import java.util.Arrays;

/**
 * Times an operation the way every suite reports it: warm up (so the JIT has compiled the kernel), size a
 * batch of calls so one timed run lasts at least {@code minRunNanos}, then take the median of the runs.
 */
public final class Timing {
    private Timing() {}

    /**
     * The outcome: median nanoseconds per call, how many timed runs it is the median of, and the bytes allocated
     * per call over all timed runs (all threads; NaN where the JVM does not count allocation).
     */
    public record Result(double nanosPerCall, int repeats, double bytesPerCall) {}

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
        int batch = batchSize(perCall, minRunNanos);
        int runs = (int) Math.max(1, Math.min(repeats, Math.floor(budgetNanos / (perCall * batch))));
        samples = Arrays.copyOf(samples, Math.max(runs, first));
        runs = samples.length;
        Allocation allocation = new Allocation();
        for (int r = first; r < runs; r++) {
            samples[r] = allocation.timeBatch(op, batch);
        }
        return new Result(median(samples), runs, allocation.perCall());
    }

    /** Two operations timed in alternation: each one's median time per call, over the same rounds. */
    public record Paired(Result first, Result second) {}

    /**
     * Times {@code a} and {@code b} in alternation, so that both see the same machine: each is warmed up for
     * {@code warmupNanos} and sized into batches of at least {@code minRunNanos} on its own, then round {@code r}
     * times one batch of each, {@code a} first in even rounds and {@code b} first in odd ones, for at most
     * {@code repeats} rounds (fewer when the rounds would take longer than {@code budgetNanos}). On a machine whose
     * speed drifts for seconds at a time, the ratio of the two medians is steadier than that of two figures taken
     * one after the other.
     */
    public static Paired paired(Runnable a, Runnable b, long warmupNanos, long minRunNanos, int repeats,
                                long budgetNanos) {
        int batchA = batchFor(a, warmupNanos, minRunNanos);
        int batchB = batchFor(b, warmupNanos, minRunNanos);
        long t0 = System.nanoTime();
        double[] first = new double[repeats];
        double[] second = new double[repeats];
        int runs = 0;
        Allocation allocA = new Allocation();
        Allocation allocB = new Allocation();
        while (runs < repeats && (runs == 0 || System.nanoTime() - t0 < budgetNanos)) {
            if (runs % 2 == 0) {
                first[runs] = allocA.timeBatch(a, batchA);
                second[runs] = allocB.timeBatch(b, batchB);
            } else {
                second[runs] = allocB.timeBatch(b, batchB);
                first[runs] = allocA.timeBatch(a, batchA);
            }
            runs++;
        }
        return new Paired(new Result(median(Arrays.copyOf(first, runs)), runs, allocA.perCall()),
                new Result(median(Arrays.copyOf(second, runs)), runs, allocB.perCall()));
    }

    /** Warms {@code op} up for {@code warmupNanos} (at least one call) and sizes a batch of {@code minRunNanos}. */
    private static int batchFor(Runnable op, long warmupNanos, long minRunNanos) {
        long start = System.nanoTime();
        double fastest = Double.MAX_VALUE;
        do {
            long t0 = System.nanoTime();
            op.run();
            fastest = Math.min(fastest, System.nanoTime() - t0);
        } while (System.nanoTime() - start < warmupNanos);
        return batchSize(Math.max(1, fastest), minRunNanos);
    }

    /** Calls per timed run: enough for {@code minRunNanos} at {@code perCall} nanoseconds each. */
    private static int batchSize(double perCall, long minRunNanos) {
        return (int) Math.max(1, Math.min(1_000_000, Math.ceil(minRunNanos / perCall)));
    }

    /** Times batches of one operation and adds up what they allocate (read outside the timed span). */
    private static final class Allocation {
        private long bytes;
        private long calls;
        private boolean counted = true;

        /** Nanoseconds per call of one timed run of {@code batch} calls. */
        double timeBatch(Runnable op, int batch) {
            long before = AllocatedBytes.total();
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                op.run();
            }
            long t = System.nanoTime() - t0;
            long after = AllocatedBytes.total();
            counted &= before >= 0 && after >= before;
            bytes += after - before;
            calls += batch;
            return (double) t / batch;
        }

        double perCall() {
            return counted && calls > 0 ? (double) bytes / calls : Double.NaN;
        }
    }

    private static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
