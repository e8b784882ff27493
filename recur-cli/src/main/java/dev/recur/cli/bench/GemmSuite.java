package dev.recur.cli.bench;

import dev.recur.core.kernel.gemm.GemmKernel;
import dev.recur.core.kernel.gemm.GemmReference;
import dev.recur.core.kernel.gemm.GemmVector;
import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jdk.incubator.vector.FloatVector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code recur bench gemm}: row-major sgemm {@code C[m,n] = A[m,k] B[k,n]} in GFLOP/s ({@code 2 m n k} per
 * call) for square shapes and the per-timestep shapes of a recurrent layer, the reference kernel on one thread
 * and the vector kernel on one thread and on the whole pool. Shapes print as {@code m x k x n}.
 */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        description = {"Single-precision matrix multiply, GFLOP/s. Shapes are m x k x n: C[m,n] = A[m,k] B[k,n].",
                "Each figure is the median of timed runs after warm-up."})
public final class GemmSuite implements Callable<Integer> {
    /** {m, k, n}: square products, then a batch-16 and a batch-64 timestep of a recurrent layer. */
    static final int[][] SHAPES = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {16, 256, 1024},
        {64, 512, 2048}};
    private static final long MS = 1_000_000L;

    @Mixin
    BenchOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        BenchReport report = new BenchReport(spec.commandLine().getOut(), options.json());
        int poolThreads = ComputePool.shared().threads();
        report.note(String.format("recur bench gemm: %s %s, %d cores, pool of %d threads, %d-lane float vectors",
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), poolThreads, FloatVector.SPECIES_PREFERRED.length()));
        report.note("C[m,n] = A[m,k] B[k,n], shapes m x k x n; GFLOP/s = 2mnk / median time of "
                + options.repeats() + " runs (fewer for slow reference runs)");
        report.note("fma.ceiling: a loop of vector FMAs without memory traffic, one thread, measured now");
        report.note("");
        report.add(new BenchResult("fma.ceiling", "-", "fma-loop", 1, "GFLOP/s", FmaCeiling.measure(), 0, 8));
        SplittableRandom rng = new SplittableRandom(7);
        try (ComputePool single = new ComputePool(1)) {
            warmUp(new GemmVector(single), rng);
            for (int[] s : SHAPES) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                float[] a = gaussian(rng, m * k);
                float[] b = gaussian(rng, k * n);
                float[] c = new float[m * n];
                String name = m == k && k == n ? "gemm." + m : "gemm." + m + "x" + k + "x" + n;
                String shape = m + "x" + k + "x" + n;
                // The reference needs no JIT warm-up beyond its first call's on-stack replacement.
                long referenceWarmup = 2L * m * n * k < 100_000_000L ? 50 * MS : 0;
                report.add(measure(name, shape, "reference", 1, new GemmReference(), a, b, c, m, k, n,
                        referenceWarmup, 2000 * MS));
                report.add(measure(name, shape, "vector", 1, new GemmVector(single), a, b, c, m, k, n, 300 * MS,
                        3000 * MS));
                if (poolThreads > 1) {
                    report.add(measure(name, shape, "vector", poolThreads, new GemmVector(ComputePool.shared()),
                            a, b, c, m, k, n, 300 * MS, 3000 * MS));
                }
            }
        }
        return 0;
    }

    /**
     * Runs the vector kernel's packed, in-place and small paths until C2 has compiled them: before that the
     * Vector API runs boxed, hundreds of times slower, and the first shape would measure the compiler.
     */
    private static void warmUp(GemmKernel single, SplittableRandom rng) {
        int[][] shapes = {{128, 256, 256}, {16, 256, 1024}, {8, 32, 64}};
        float[][] data = new float[shapes.length * 3][];
        for (int i = 0; i < shapes.length; i++) {
            int[] s = shapes[i];
            data[3 * i] = gaussian(rng, s[0] * s[1]);
            data[3 * i + 1] = gaussian(rng, s[1] * s[2]);
            data[3 * i + 2] = new float[s[0] * s[2]];
        }
        GemmKernel shared = new GemmVector(ComputePool.shared());
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1500 * MS) {
            for (int i = 0; i < shapes.length; i++) {
                int m = shapes[i][0];
                int k = shapes[i][1];
                int n = shapes[i][2];
                GemmKernel kernel = (i & 1) == 0 ? single : shared;
                kernel.sgemm(false, false, m, n, k, data[3 * i], 0, k, data[3 * i + 1], 0, n, data[3 * i + 2], 0, n,
                        false);
            }
        }
    }

    private BenchResult measure(String name, String shape, String kernelName, int threads, GemmKernel kernel,
                                float[] a, float[] b, float[] c, int m, int k, int n,
                                long warmupNanos, long budgetNanos) {
        Runnable op = () -> kernel.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        Timing.Result t = Timing.median(op, warmupNanos, 20 * MS, options.repeats(), budgetNanos);
        double gflops = 2.0 * m * n * k / t.nanosPerCall();
        return new BenchResult(name, shape, kernelName, threads, "GFLOP/s", gflops, t.nanosPerCall() / 1e6,
                t.repeats());
    }

    private static float[] gaussian(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
