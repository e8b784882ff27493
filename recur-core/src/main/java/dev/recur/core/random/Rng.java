package dev.recur.core.random;

import java.util.SplittableRandom;

/**
 * Recur's one seeded random generator family, built on {@link SplittableRandom}. Every consumer of randomness
 * (initialisation, dropout, data order, sampling) gets its own generator from {@link #split()} or
 * {@link #derive(long)}, so that adding a consumer or changing the thread count does not shift the others'
 * streams: the same seed gives the same bits.
 */
public final class Rng {
    private final long seed;
    private final SplittableRandom random;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this generator started from. */
    public long seed() {
        return seed;
    }

    /** A new independent generator; advances this one. */
    public Rng split() {
        return new Rng(mix(random.nextLong()));
    }

    /**
     * A generator determined by this generator's seed state and {@code stream} alone, without advancing this
     * one: the same stream number always gives the same generator (per-thread or per-sample streams).
     */
    public Rng derive(long stream) {
        return new Rng(mix(seed ^ mix(stream + 0x9e3779b97f4a7c15L)));
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public float nextFloat() {
        return (float) random.nextDouble();
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    /** A standard normal sample (Box-Muller on two uniforms, so that the stream is fixed across JDKs). */
    public double nextGaussian() {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
