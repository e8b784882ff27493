package dev.recur.core.scan.selective;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.ScanTesting;
import java.util.Arrays;

/**
 * A benchmark harness, not a test: times the selective scan at a Mamba-130m layer's size (D=1536, N=16), T=1024,
 * B=1, and prints ns per state update (one of the {@code B*T*D*N} multiply-adds of the recurrence).
 *
 * <p>Run from the worktree root after {@code mvn -pl recur-core -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp recur-core/target/classes:recur-core/target/test-classes
 * dev.recur.core.scan.selective.SelectiveScanBench}.
 */
public final class SelectiveScanBench {
    private static final int T = 1024;
    private static final int D = 1536;
    private static final int N = 16;

    private SelectiveScanBench() {}

    public static void main(String[] args) {
        Rng rng = new Rng(1);
        int btd = T * D;
        SelectiveScanInputs in = new SelectiveScanInputs(ScanTesting.uniform(rng, btd, -1, 1),
                ScanTesting.uniform(rng, btd, 0.001, 0.1), ScanTesting.uniform(rng, D * N, -16, -1),
                ScanTesting.uniform(rng, T * N, -1, 1), ScanTesting.uniform(rng, T * N, -1, 1),
                ScanTesting.uniform(rng, D, -1, 1), null, 1, T, D, N);
        float[] gy = ScanTesting.uniform(rng, btd, -1, 1);
        float[] y = new float[btd];
        float[] hT = new float[D * N];
        double updates = (double) T * D * N;
        System.out.printf("selective scan T=%d D=%d N=%d B=1, %d threads in the common pool, %s%n", T, D, N,
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism(), System.getProperty("java.vm.version"));
        SelectiveScanKernel vec = new SelectiveScanVector();
        float[][] saved = new float[1][];
        report("vector forward (no checkpoints)", time(() -> vec.forward(in, y, hT, false), 10) / updates);
        report("vector forward (checkpoints)", time(() -> saved[0] = vec.forward(in, y, hT, true), 10) / updates);
        report("vector backward", time(() -> vec.backward(in, saved[0], gy, null, SelectiveScanGrads.zerosFor(in)), 5)
                / updates);
        SelectiveScanKernel ref = new SelectiveScanReference();
        report("reference forward", time(() -> ref.forward(in, y, hT, false), 1) / updates);
        report("reference backward", time(() -> ref.backward(in, null, gy, null, SelectiveScanGrads.zerosFor(in)), 1)
                / updates);
        System.out.println("checksum " + Arrays.hashCode(y) + "; checkpoints kept: " + saved[0].length + " floats (B*T*D = "
                + btd + ")");
    }

    /** Median ns over {@code reps} runs after as many warm-up runs. */
    private static double time(Runnable r, int reps) {
        for (int i = 0; i < reps; i++) {
            r.run();
        }
        double[] ns = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return ns[reps / 2];
    }

    private static void report(String what, double nsPerUpdate) {
        System.out.printf("%-34s %7.3f ns/update%n", what, nsPerUpdate);
    }
}
