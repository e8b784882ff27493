package dev.recur.cli.bench;

import dev.recur.core.parallel.ComputePool;

/**
 * A STREAM-style triad {@code x = y + s * z} over float arrays, the memory bandwidth a streaming kernel can
 * hope for, measured in the same run as the kernels it bounds. Counted as STREAM counts it: 12 bytes per
 * element (two loads, one store; the write-allocate read is not counted).
 */
public final class Triad {
    /** Bytes the triad moves per element. */
    public static final int BYTES_PER_ELEMENT = 12;
    private final float[] x;
    private final float[] y;
    private final float[] z;

    /** A triad over arrays of {@code elements} floats each. */
    public Triad(int elements) {
        x = new float[elements];
        y = new float[elements];
        z = new float[elements];
        for (int i = 0; i < elements; i++) {
            y[i] = i * 1e-6f;
            z[i] = 1f - i * 1e-7f;
        }
    }

    /**
     * One pass over the arrays on the shared pool's threads, split into equal contiguous ranges, one per thread:
     * time it beside the kernel it bounds ({@link Timing#paired}) inside {@link BenchThreads#with}, so both
     * figures run on the same threads in the same seconds.
     */
    public Runnable pass() {
        int n = x.length;
        return () -> {
            ComputePool pool = ComputePool.shared();
            int tasks = pool.threads();
            pool.parallelFor(tasks, t -> {
                int from = (int) ((long) n * t / tasks);
                int to = (int) ((long) n * (t + 1) / tasks);
                kernel(x, y, z, 0.5f, from, to);
            });
        };
    }

    /** Converts a time per pass to GB/s. */
    public double gbPerSecond(Timing.Result r) {
        return (double) BYTES_PER_ELEMENT * x.length / r.nanosPerCall();
    }

    private static void kernel(float[] x, float[] y, float[] z, float s, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = y[i] + s * z[i];
        }
    }
}
