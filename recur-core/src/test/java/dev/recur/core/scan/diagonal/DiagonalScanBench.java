package dev.recur.core.scan.diagonal;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.ScanTesting;
import java.util.Arrays;

/**
 * A benchmark harness, not a test: times the diagonal scan kernels at T=4096, D=1024, B=1 against a
 * STREAM-style triad over arrays of the same size in the same run, and prints ns per element and GB/s.
 *
 * <p>Run from the worktree root after {@code mvn -pl recur-core -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp recur-core/target/classes:recur-core/target/test-classes
 * dev.recur.core.scan.diagonal.DiagonalScanBench}; add
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1} for one thread.
 */
public final class DiagonalScanBench {
    private static final int T = 4096;
    private static final int D = 1024;
    private static final int REPS = 15;
    private static final int ROUNDS = 5;

    private DiagonalScanBench() {}

    public static void main(String[] args) {
        Rng rng = new Rng(1);
        int n = T * D;
        float[] a = ScanTesting.uniform(rng, n, 0.9, 1.0);
        float[] b = ScanTesting.uniform(rng, n, -1, 1);
        float[] h = new float[n];
        float[] hT = new float[D];
        float[] gh = ScanTesting.uniform(rng, n, -1, 1);
        float[] da = new float[n];
        float[] db = new float[n];
        System.out.printf("diagonal scan T=%d D=%d B=1, %d threads in the common pool, %s%n", T, D,
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(), System.getProperty("java.vm.version"));
        // The chunked kernel is left out here: it loops channel-outer and is meant for a handful of channels.
        DiagonalScanKernel[] kernels = {new DiagonalScanVector(), new DiagonalScanReference()};
        String[] names = {"triad x=y+s*z (12 B/elem)", "vector forward (12 B/elem)", "vector backward (20 B/elem)",
            "reference forward", "reference backward"};
        int[] bytes = {12, 12, 20, 12, 20};
        // Rounds interleave the triad with the kernels so that load from other processes hits both alike.
        double[][] rounds = new double[ROUNDS][names.length];
        for (int r = 0; r < ROUNDS; r++) {
            rounds[r][0] = time(() -> triad(b, gh, da, 0.5f));
            for (int k = 0; k < kernels.length; k++) {
                DiagonalScanKernel kernel = kernels[k];
                int reps = kernel instanceof DiagonalScanReference ? 2 : REPS;
                rounds[r][1 + 2 * k] = time(() -> kernel.forward(a, b, null, h, hT, 1, T, D), reps);
                rounds[r][2 + 2 * k] = time(() -> kernel.backward(a, h, null, gh, null, da, db, null, 1, T, D), reps);
            }
        }
        for (int i = 0; i < names.length; i++) {
            double[] col = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                col[r] = rounds[r][i] / rounds[r][0];
            }
            Arrays.sort(col);
            double[] ns = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                ns[r] = rounds[r][i];
            }
            Arrays.sort(ns);
            System.out.printf("%-30s %8.3f ns/elem %7.1f GB/s  %6.2f x triad (median of %d rounds)%n", names[i],
                    ns[ROUNDS / 2], bytes[i] / ns[ROUNDS / 2], col[ROUNDS / 2], ROUNDS);
        }
        System.out.println("checksum " + Arrays.hashCode(h));
        fewChannels();
    }

    /** Long sequences with few channels, where the chunked kernel runs chunks side by side. */
    private static void fewChannels() {
        for (int channels : new int[] {1, 8}) {
            fewChannels(channels);
        }
    }

    private static void fewChannels(int channels) {
        int seqLen = T * D / channels;
        Rng rng = new Rng(2);
        int n = seqLen * channels;
        float[] a = ScanTesting.uniform(rng, n, 0.9, 1.0);
        float[] b = ScanTesting.uniform(rng, n, -1, 1);
        float[] h = new float[n];
        float[] hT = new float[channels];
        DiagonalScanKernel[] kernels = {new DiagonalScanVector(), new DiagonalScanVector(256)};
        String[] names = {"vector", "chunk256"};
        // Few channels: one dependent multiply-add per step; short chunks run side by side on the pool.
        for (int k = 0; k < kernels.length; k++) {
            DiagonalScanKernel kernel = kernels[k];
            double ns = time(() -> kernel.forward(a, b, null, h, hT, 1, seqLen, channels));
            System.out.printf("T=%d D=%d forward, %-8s %8.3f ns/elem%n", seqLen, channels, names[k], ns);
        }
    }

    private static void triad(float[] y, float[] z, float[] x, float s) {
        for (int i = 0; i < x.length; i++) {
            x[i] = y[i] + s * z[i];
        }
    }

    private static double time(Runnable r) {
        return time(r, REPS);
    }

    /** Median ns per element over {@code reps} runs after as many warm-up runs. */
    private static double time(Runnable r, int reps) {
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        double[] ns = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            ns[i] = (System.nanoTime() - t0) / (double) (T * D);
        }
        Arrays.sort(ns);
        return ns[reps / 2];
    }
}
