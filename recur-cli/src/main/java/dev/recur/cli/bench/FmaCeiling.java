package dev.recur.cli.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The compute ceiling one thread reaches from Java right now: a loop of independent vector FMAs with no memory
 * traffic, at the vector width the JVM prefers. Twelve chains cover the FMA latency times the FMA pipes (4 cycles x 2
 * pipes on current x86 and Arm cores) and fit AVX2's 16 registers with the two operands. A nested, int-counted
 * loop measured lower on the AVX-512 machine kind (135 against 205 GFLOP/s at 512 bits with 24 chains, 82 against
 * 89 at 256 bits with 12). Measured in the same run as the kernels, it gives their figures a bound to be read against (and
 * shows how much a loaded machine has left).
 */
public final class FmaCeiling {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private FmaCeiling() {}

    /**
     * GFLOP/s of the FMA loop on the calling thread: the best of twelve runs after four of warm-up. (Taking the
     * best of many runs, rather than of a few, keeps a busy neighbour from pulling the ceiling under the kernels.)
     */
    public static double measure() {
        long steps = 2_000_000;
        double best = 0;
        float sink = 0;
        for (int run = 0; run < 16; run++) {
            long t0 = System.nanoTime();
            sink += chains(steps, run);
            long t = System.nanoTime() - t0;
            // 12 chains of one FMA (2 flops per lane) per step; the first runs only warm the JIT up.
            if (run >= 4) {
                best = Math.max(best, 12.0 * 2 * S.length() * steps / t);
            }
        }
        // Using the sums keeps the JIT from dropping the loop.
        return sink == Float.MIN_VALUE ? best + 1e-9 : best;
    }

    /** Twelve independent FMA chains, enough to cover the FMA latency on two pipes. */
    private static float chains(long steps, float seed) {
        FloatVector x = FloatVector.broadcast(S, 1e-3f * seed);
        FloatVector y = FloatVector.broadcast(S, 0.999f);
        FloatVector c0 = x, c1 = x, c2 = x, c3 = x, c4 = x, c5 = x, c6 = x, c7 = x, c8 = x, c9 = x, c10 = x, c11 = x;
        for (long i = 0; i < steps; i++) {
            c0 = c0.fma(y, x);
            c1 = c1.fma(y, x);
            c2 = c2.fma(y, x);
            c3 = c3.fma(y, x);
            c4 = c4.fma(y, x);
            c5 = c5.fma(y, x);
            c6 = c6.fma(y, x);
            c7 = c7.fma(y, x);
            c8 = c8.fma(y, x);
            c9 = c9.fma(y, x);
            c10 = c10.fma(y, x);
            c11 = c11.fma(y, x);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
