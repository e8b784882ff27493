package dev.recur.cli.bench;

import dev.recur.core.kernel.gemm.GemmKernel;
import dev.recur.core.kernel.gemm.GemmReference;
import dev.recur.core.kernel.gemm.GemmVector;
import dev.recur.core.parallel.ComputePool;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;

/**
 * {@code recur bench gemm}: row-major sgemm {@code C[m,n] = A[m,k] op(B)} in GFLOP/s ({@code 2 m n k} per
 * call) for square shapes, the per-timestep shapes of a recurrent layer and the one-row products of decoding,
 * the reference kernel on one thread and the vector kernel on each thread count. Shapes print as
 * {@code m x k x n}; a {@code .tB} suffix means B is stored transposed, {@code [n, k]} (a linear layer's weight).
 */
public final class GemmSuite implements BenchSuite {
    /** One product to time. */
    public record Shape(int m, int k, int n, boolean transB) {
        /** The row name: {@code gemm.512} for a square product, else {@code gemm.MxKxN} (+ {@code .tB}). */
        public String rowName() {
            String base = m == k && k == n ? "gemm." + m : "gemm." + m + "x" + k + "x" + n;
            return transB ? base + ".tB" : base;
        }

        /** {@code m x k x n}. */
        public String label() {
            return m + "x" + k + "x" + n;
        }

        /** Multiply-adds times two. */
        public double flops() {
            return 2.0 * m * n * k;
        }
    }

    /**
     * Square products; a batch-16 and a batch-64 timestep of a recurrent layer and the batch-16 backward
     * through a transposed weight; one decoding token through a 768 -> 3072 projection, both layouts.
     */
    public static final List<Shape> SHAPES = List.of(new Shape(256, 256, 256, false),
            new Shape(512, 512, 512, false), new Shape(1024, 1024, 1024, false), new Shape(16, 256, 1024, false),
            new Shape(64, 512, 2048, false), new Shape(16, 1024, 256, true), new Shape(1, 768, 3072, true),
            new Shape(1, 768, 3072, false));
    private static final long MS = 1_000_000L;

    @Override
    public String name() {
        return "gemm";
    }

    @Override
    public String description() {
        return "sgemm GFLOP/s (square, per-timestep and decoding shapes) and the FMA ceiling";
    }

    @Override
    public void run(BenchSink sink, int repeats) {
        sink.note(String.format("gemm: %d-lane float vectors; C[m,n] = A[m,k] op(B), shapes m x k x n, .tB: B"
                + " stored [n,k]; GFLOP/s = 2mnk / median time", FloatVector.SPECIES_PREFERRED.length()));
        sink.add(new BenchResult("fma.ceiling", "-", "fma-loop", 1, "GFLOP/s", FmaCeiling.measure(), 0, 8));
        SplittableRandom rng = new SplittableRandom(7);
        List<ComputePool> pools = new ArrayList<>();
        try {
            for (int t : BenchThreads.counts()) {
                pools.add(new ComputePool(t));
            }
            warmUp(new GemmVector(pools.get(0)), new GemmVector(pools.get(pools.size() - 1)), rng);
            for (Shape s : SHAPES) {
                float[] a = gaussian(rng, s.m() * s.k());
                float[] b = gaussian(rng, s.k() * s.n());
                float[] c = new float[s.m() * s.n()];
                // The reference needs no JIT warm-up beyond its first call's on-stack replacement.
                long referenceWarmup = s.flops() < 200_000_000L ? 50 * MS : 0;
                sink.add(measure(s, "reference", 1, new GemmReference(), a, b, c, referenceWarmup, 1500 * MS,
                        repeats));
                for (ComputePool pool : pools) {
                    sink.add(measure(s, "vector", pool.threads(), new GemmVector(pool), a, b, c, 300 * MS,
                            3000 * MS, repeats));
                }
            }
        } finally {
            pools.forEach(ComputePool::close);
        }
    }

    /**
     * Runs the vector kernel's packed, in-place, transposed and small paths until C2 has compiled them: before
     * that the Vector API runs boxed, hundreds of times slower, and the first shape would measure the compiler.
     */
    private static void warmUp(GemmKernel single, GemmKernel parallel, SplittableRandom rng) {
        Shape[] shapes = {new Shape(128, 256, 256, false), new Shape(16, 256, 1024, false),
            new Shape(16, 256, 512, true), new Shape(8, 32, 64, false), new Shape(1, 256, 512, true),
            new Shape(2, 256, 512, false)};
        float[][] data = new float[shapes.length * 3][];
        for (int i = 0; i < shapes.length; i++) {
            Shape s = shapes[i];
            data[3 * i] = gaussian(rng, s.m() * s.k());
            data[3 * i + 1] = gaussian(rng, s.k() * s.n());
            data[3 * i + 2] = new float[s.m() * s.n()];
        }
        long start = System.nanoTime();
        int round = 0;
        while (System.nanoTime() - start < 1500 * MS) {
            for (int i = 0; i < shapes.length; i++) {
                Shape s = shapes[i];
                GemmKernel kernel = ((i + round) & 1) == 0 ? single : parallel;
                multiply(kernel, s, data[3 * i], data[3 * i + 1], data[3 * i + 2]);
            }
            round++;
        }
    }

    private static void multiply(GemmKernel kernel, Shape s, float[] a, float[] b, float[] c) {
        int ldb = s.transB() ? s.k() : s.n();
        kernel.sgemm(false, s.transB(), s.m(), s.n(), s.k(), a, 0, s.k(), b, 0, ldb, c, 0, s.n(), false);
    }

    private static BenchResult measure(Shape s, String kernelName, int threads, GemmKernel kernel,
                                       float[] a, float[] b, float[] c, long warmupNanos, long budgetNanos,
                                       int repeats) {
        Timing.Result t = Timing.median(() -> multiply(kernel, s, a, b, c), warmupNanos, 20 * MS, repeats,
                budgetNanos);
        return new BenchResult(s.rowName(), s.label(), kernelName, threads, "GFLOP/s",
                s.flops() / t.nanosPerCall(), t);
    }

    static float[] gaussian(SplittableRandom rng, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }
}
