package dev.recur.jmh.rows;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.kernel.rows.NormRows;
import dev.recur.core.kernel.rows.RowKernels;
import dev.recur.core.kernel.rows.SoftmaxRows;
import dev.recur.core.random.Rng;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row kernels, vector against scalar reference, on 2^18 floats (1 MiB, cache-resident) cut into rows of
 * {@code n}. Time per call; divide 2^18 by it for elements per nanosecond. Run:
 * {@code java --add-modules jdk.incubator.vector -jar recur-jmh/target/benchmarks.jar RowKernelsBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class RowKernelsBench {
    private static final int TOTAL = 1 << 18;

    @Param({"500", "4096", "32768"})
    int n;

    @Param({"VECTOR", "REFERENCE"})
    KernelMode mode;

    private int rows;
    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;
    private float[] w;
    private float[] b;
    private float[] dw;
    private float[] stat1;
    private float[] stat2;
    private SoftmaxRows softmax;
    private NormRows norm;

    @Setup
    public void setup() {
        rows = TOTAL / n;
        Rng rng = new Rng(1);
        x = fill(rng, TOTAL);
        dy = fill(rng, TOTAL);
        w = fill(rng, n);
        b = fill(rng, n);
        y = new float[TOTAL];
        dx = new float[TOTAL];
        dw = new float[n];
        stat1 = new float[rows];
        stat2 = new float[rows];
        softmax = RowKernels.softmax(mode);
        norm = RowKernels.norm(mode);
        // Real mean and rstd for the backward benchmark.
        norm.layerNorm(x, w, b, y, stat1, stat2, rows, n, 1e-5f);
    }

    private static float[] fill(Rng rng, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    @Benchmark
    public float[] softmax() {
        softmax.softmax(x, y, rows, n);
        return y;
    }

    @Benchmark
    public float[] softmaxBackward() {
        softmax.softmaxBackward(x, dy, dx, rows, n);
        return dx;
    }

    @Benchmark
    public float[] logSumExp() {
        softmax.logSumExp(x, stat1, stat2, rows, n);
        return stat2;
    }

    @Benchmark
    public float[] rmsNorm() {
        norm.rmsNorm(x, w, y, stat1, rows, n, 1e-5f);
        return y;
    }

    @Benchmark
    public float[] layerNorm() {
        norm.layerNorm(x, w, b, y, stat1, stat2, rows, n, 1e-5f);
        return y;
    }

    @Benchmark
    public float[] layerNormBackward() {
        norm.layerNormBackward(x, w, stat1, stat2, dy, dx, dw, null, rows, n);
        return dx;
    }
}
