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
    private static final int REPS = 30;

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
        double triad = time(() -> triad(b, gh, da, 0.5f));
        report("triad x=y+s*z (12 B/elem)", triad, 12);
        DiagonalScanKernel[] kernels = {new DiagonalScanVector(), new DiagonalScanChunked(), new DiagonalScanReference()};
        for (DiagonalScanKernel k : kernels) {
            double fwd = time(() -> k.forward(a, b, null, h, hT, 1, T, D));
            report(k.getClass().getSimpleName() + " forward (12 B/elem)", fwd, 12);
            double bwd = time(() -> k.backward(a, h, null, gh, null, da, db, null, 1, T, D));
            report(k.getClass().getSimpleName() + " backward (20 B/elem)", bwd, 20);
        }
        System.out.println("triad again (drift check): " + String.format("%.3f", time(() -> triad(b, gh, da, 0.5f)))
                + " ns/elem; checksum " + Arrays.hashCode(h));
    }

    private static void triad(float[] y, float[] z, float[] x, float s) {
        for (int i = 0; i < x.length; i++) {
            x[i] = y[i] + s * z[i];
        }
    }

    /** Median ns per element over {@value #REPS} runs after warm-up. */
    private static double time(Runnable r) {
        for (int i = 0; i < 10; i++) {
            r.run();
        }
        double[] ns = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            r.run();
            ns[i] = (System.nanoTime() - t0) / (double) (T * D);
        }
        Arrays.sort(ns);
        return ns[REPS / 2];
    }

    private static void report(String what, double nsPerElem, int bytesPerElem) {
        System.out.printf("%-44s %7.3f ns/elem %7.1f GB/s%n", what, nsPerElem, bytesPerElem / nsPerElem);
    }
}
