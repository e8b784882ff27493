package dev.recur.layers.rnn;

import dev.recur.core.parallel.ComputePool;

/**
 * How a recurrent kernel divides its hidden units among the compute threads: part {@code p} owns units
 * {@code [start(p), end(p))} for the whole sequence, computes the recurrent product's columns for them and
 * updates their cells, so the slice of {@code W_hh} it reads stays in one core's cache from step to step, and
 * one hand-off per step ({@link ComputePool#runPinned}) replaces a parallel product followed by a serial cell
 * update. Every unit is computed by the same arithmetic whatever part it lands in, so the split never changes
 * a result.
 */
final class HiddenSplit {
    /** Parts start on a multiple of this many units, so each part's rows stay whole SIMD vectors. */
    static final int ALIGN = 16;
    /** Below this many multiply-adds per step, one thread does the step faster than two hand it over. */
    static final long PARALLEL_WORK = 512 * 1024;

    private final int hidden;
    private final int chunk;
    private final int parts;

    private HiddenSplit(int hidden, int chunk) {
        this.hidden = hidden;
        this.chunk = chunk;
        this.parts = (hidden + chunk - 1) / chunk;
    }

    /** The split for a step of {@code batch x gates*hidden x hidden} multiply-adds on {@code threads} threads. */
    static HiddenSplit of(int hidden, int gates, int batch, int threads) {
        long work = (long) batch * gates * hidden * hidden;
        int wanted = work < PARALLEL_WORK ? 1 : Math.max(1, Math.min(threads, hidden / ALIGN));
        int chunk = (hidden + wanted - 1) / wanted;
        if (wanted > 1) {
            chunk = (chunk + ALIGN - 1) / ALIGN * ALIGN;
        }
        return new HiddenSplit(hidden, chunk);
    }

    /** The split that {@link #of} gives on the shared pool. */
    static HiddenSplit forSharedPool(int hidden, int gates, int batch) {
        return of(hidden, gates, batch, ComputePool.shared().threads());
    }

    int parts() {
        return parts;
    }

    int start(int part) {
        return part * chunk;
    }

    int end(int part) {
        return Math.min(hidden, (part + 1) * chunk);
    }

    int width(int part) {
        return end(part) - start(part);
    }
}
