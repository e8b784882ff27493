package dev.recur.core.scan;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.delta.DeltaChunked;
import dev.recur.core.scan.delta.DeltaGrads;
import dev.recur.core.scan.delta.DeltaInputs;
import dev.recur.core.scan.delta.DeltaKernel;
import dev.recur.core.scan.delta.DeltaReference;
import dev.recur.core.scan.gla.GlaChunked;
import dev.recur.core.scan.gla.GlaGrads;
import dev.recur.core.scan.gla.GlaInputs;
import dev.recur.core.scan.gla.GlaKernel;
import dev.recur.core.scan.gla.GlaReference;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;

/**
 * A benchmark harness, not a test: times the GLA and gated delta-rule kernels, forward and backward, at
 * B=1, T=2048, H=4, K=V=128 and prints milliseconds, tokens per second and the GFLOP/s of the recurrent form's
 * {@code 4 K V} flops per token per head (a floor on the work; the chunked forms do about twice that).
 *
 * <p>Run from the worktree root after {@code mvn -pl recur-core -am test-compile}:
 * {@code java --add-modules jdk.incubator.vector -cp recur-core/target/classes:recur-core/target/test-classes
 * dev.recur.core.scan.LinearScanBench}; add {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=1}
 * for one thread.
 */
public final class LinearScanBench {
    private static final int B = 1;
    private static final int T = 2048;
    private static final int H = 4;
    private static final int K = 128;
    private static final int V = 128;
    private static final int REPS = 5;

    private LinearScanBench() {}

    public static void main(String[] args) {
        Rng rng = new Rng(1);
        int bth = B * T * H;
        System.out.printf("linear scans B=%d T=%d H=%d K=%d V=%d, %d threads in the common pool, %s%n", B, T, H, K,
                V, ForkJoinPool.getCommonPoolParallelism(), System.getProperty("java.vm.version"));
        float[] q = ScanTesting.uniform(rng, bth * K, -0.1, 0.1);
        float[] k = ScanTesting.uniform(rng, bth * K, -0.1, 0.1);
        float[] v = ScanTesting.uniform(rng, bth * V, -1, 1);
        float[] go = ScanTesting.uniform(rng, bth * V, -1, 1);
        float[] o = new float[bth * V];
        float[] hT = new float[B * H * K * V];
        GlaInputs gla = new GlaInputs(q, k, v, ScanTesting.uniform(rng, bth * K, -0.1, -0.001), null, 0.1f, B, T, H,
                K, V);
        for (GlaKernel kernel : new GlaKernel[] {new GlaReference(), new GlaChunked()}) {
            String name = kernel.getClass().getSimpleName();
            report(name + " forward", time(() -> kernel.forward(gla, o, hT)));
            report(name + " backward", time(() -> kernel.backward(gla, go, null, GlaGrads.zerosFor(gla))));
        }
        DeltaInputs delta = new DeltaInputs(q, k, v, ScanTesting.uniform(rng, bth, 0, 1),
                ScanTesting.uniform(rng, bth, -0.1, -0.001), null, 0.1f, B, T, H, K, V);
        for (DeltaKernel kernel : new DeltaKernel[] {new DeltaReference(), new DeltaChunked()}) {
            String name = kernel.getClass().getSimpleName();
            report(name + " forward", time(() -> kernel.forward(delta, o, hT)));
            report(name + " backward", time(() -> kernel.backward(delta, go, null, DeltaGrads.zerosFor(delta))));
        }
        System.out.println("checksum " + Arrays.hashCode(o));
    }

    private static void report(String what, double[] ms) {
        double tokens = (double) B * T;
        double flops = 4.0 * K * V * H * tokens;
        System.out.printf("%-28s %9.2f ms wall %9.2f ms cpu  %10.0f tok/s  %6.2f GFLOP/s (4KV/token/head)%n", what,
                ms[0], ms[1], tokens / (ms[0] / 1e3), flops / (ms[0] / 1e3) / 1e9);
    }

    /**
     * Median wall-clock and process CPU milliseconds over {@value #REPS} runs after warm-up; on a loaded machine
     * the CPU time is the steadier of the two.
     */
    private static double[] time(Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] ms = new double[REPS];
        double[] cpu = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        return new double[] {ms[REPS / 2], cpu[REPS / 2]};
    }
}
