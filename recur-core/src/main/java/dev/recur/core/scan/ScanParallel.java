package dev.recur.core.scan;

import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs independent scan tasks in parallel. Every kernel in this package cuts its work into a number of tasks
 * that depends on the problem's sizes only, never on the thread count, and each task writes its own disjoint
 * outputs, so the results are the same bits whatever the number of threads.
 *
 * <p>Kernels whose per-element arithmetic does not depend on how work is split (the sequential diagonal scan)
 * may size their split from {@link #threads()}; the others must not.
 *
 * <p>This is the single place that chooses the thread pool: it uses the common fork-join pool for now, and
 * moving to Recur's low-latency compute pool is a change of the one line in {@link #parallelFor} (and the one
 * in {@link #threads}).
 */
public final class ScanParallel {
    private ScanParallel() {}

    /** Calls {@code body.accept(i)} for every {@code i} in {@code [0, tasks)}, possibly on several threads. */
    public static void parallelFor(int tasks, IntConsumer body) {
        if (tasks <= 1) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(body);
    }

    /** How many threads {@link #parallelFor} may use. */
    public static int threads() {
        return Math.max(1, ForkJoinPool.getCommonPoolParallelism());
    }
}
