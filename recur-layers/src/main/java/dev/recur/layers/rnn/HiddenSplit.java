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

    /**
     * The rows of a gate-stacked matrix {@code m [gates * hidden, cols]} that belong to units {@code [j0, j0 +
     * width)}, gate by gate: {@code [gates * width, cols]}. With {@code cols = 1} it gathers a bias.
     */
    static float[] unitRows(float[] m, int gates, int hidden, int cols, int j0, int width) {
        float[] rows = new float[gates * width * cols];
        for (int g = 0; g < gates; g++) {
            System.arraycopy(m, (g * hidden + j0) * cols, rows, g * width * cols, width * cols);
        }
        return rows;
    }

    /** One part's share of a backward pass through time. */
    interface BackwardPart {
        /** This part's units' gate gradients at step {@code s}, from the hidden-state gradient of its units. */
        void gateGradients(int s);

        /** This part's columns of the hidden-state gradient through step {@code s}, from every unit's gates. */
        void hiddenGradient(int s);
    }

    /**
     * Runs a backward through {@code steps} steps, last first: hand-off {@code s} computes the hidden-state
     * gradient through step {@code s + 1} (which needs every part's gate gradients of that step, all written in
     * the hand-off before) and then the part's gate gradients of step {@code s} (which need only its own units).
     */
    static void backward(int steps, BackwardPart[] parts) {
        ComputePool pool = ComputePool.shared();
        int last = steps - 1;
        pool.runPinned(parts.length, part -> parts[part].gateGradients(last));
        for (int s = last - 1; s >= -1; s--) {
            int step = s;
            pool.runPinned(parts.length, part -> {
                parts[part].hiddenGradient(step + 1);
                if (step >= 0) {
                    parts[part].gateGradients(step);
                }
            });
        }
    }
}
