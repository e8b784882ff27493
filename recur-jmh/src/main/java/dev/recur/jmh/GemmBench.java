package dev.recur.jmh;

import dev.recur.core.kernel.gemm.GemmKernel;
import dev.recur.core.kernel.gemm.GemmReference;
import dev.recur.core.kernel.gemm.GemmVector;
import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row-major sgemm {@code C[m,n] = A[m,k] B[k,n]} for square and per-timestep shapes ({@code shape} is
 * {@code m x k x n}), vector and reference kernels, 1 and 2 threads. The {@code gflop} counter reads directly
 * in GFLOP/s; this machine kind's FMA ceiling is about 223 GFLOP/s per core.
 *
 * <p>Run: {@code java -jar recur-jmh/target/benchmarks.jar GemmBench -p kernel=vector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
public class GemmBench {
    @Param({"256x256x256", "512x512x512", "1024x1024x1024", "16x256x1024", "64x512x2048"})
    public String shape;

    @Param({"vector", "reference"})
    public String kernel;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;
    private ComputePool pool;
    private GemmKernel gemm;

    /** Counts floating-point operations; JMH reports the rate, here in GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        SplittableRandom rng = new SplittableRandom(42);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        pool = new ComputePool(threads);
        gemm = kernel.equals("reference") ? new GemmReference() : new GemmVector(pool);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
    }

    @Benchmark
    public float[] sgemm(Flops flops) {
        gemm.sgemm(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }

    /** The backward pass's layout, {@code dA = dY * B^T}: B read transposed. */
    @Benchmark
    public float[] sgemmTransB(Flops flops) {
        gemm.sgemm(false, true, m, n, k, a, 0, k, b, 0, k, c, 0, n, false);
        flops.gflop += 2e-9 * m * n * k;
        return c;
    }
}
