package dev.recur.cli.bench;

import dev.recur.core.parallel.ComputePool;
import java.util.List;
import java.util.function.Supplier;

/**
 * The thread counts every suite reports: one thread, and the shared pool's size ({@code --threads}, else all
 * cores) when that is more. Layers find their threads in {@link ComputePool#shared()}, so a figure at a given
 * count runs with the shared pool resized to it, and the original size is restored afterwards.
 */
public final class BenchThreads {
    private BenchThreads() {}

    /** 1, then the shared pool's size if above 1. */
    public static List<Integer> counts() {
        int most = ComputePool.shared().threads();
        return most > 1 ? List.of(1, most) : List.of(1);
    }

    /** Runs {@code body} with the shared pool sized to {@code threads}, then restores the previous size. */
    public static <T> T with(int threads, Supplier<T> body) {
        int before = ComputePool.shared().threads();
        ComputePool.configure(threads);
        try {
            return body.get();
        } finally {
            ComputePool.configure(before);
        }
    }
}
