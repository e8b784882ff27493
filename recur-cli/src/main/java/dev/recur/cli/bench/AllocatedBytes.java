package dev.recur.cli.bench;

import java.lang.management.ManagementFactory;

/**
 * Bytes the JVM has allocated on the heap so far, summed over every live thread (the caller and the compute
 * pool), from HotSpot's per-thread allocation counters. The difference across a batch of calls, over the calls,
 * is a kernel's allocation per call; at steady state a kernel that only writes into its outputs allocates nothing
 * in its hot loop, so a large figure means the JIT left a vector operation boxed.
 */
final class AllocatedBytes {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocatedBytes() {}

    /** The running total, or -1 where the JVM does not count allocation. */
    static long total() {
        if (THREADS == null) {
            return -1;
        }
        long sum = 0;
        for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
            // A thread that ended between the two calls reads -1.
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private static com.sun.management.ThreadMXBean threads() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean hotspot)
                || !hotspot.isThreadAllocatedMemorySupported()) {
            return null;
        }
        hotspot.setThreadAllocatedMemoryEnabled(true);
        return hotspot;
    }
}
