package dev.recur.jmh;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Elementwise kernels, vector against reference. Scores are ns per call over {@code n} elements: divide by
 * {@code n} for ns per element. {@code svmlExp}/{@code svmlTanh} time the JDK's own {@code lanewise(EXP/TANH)}
 * (which ignores {@code mode}) for comparison with the polynomial kernels. Run:
 * {@code java -jar recur-jmh/target/benchmarks.jar ElementwiseBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Thread)
public class ElementwiseBench {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** 4096 floats stay in L1; 262144 (1 MiB per array) in L2. */
    @Param({"4096", "262144"})
    public int n;

    @Param({"vector", "reference"})
    public String mode;

    private ElementwiseKernel k;
    private float[] x;
    private float[] b;
    private float[] y;

    @Setup(Level.Trial)
    public void setUp() {
        k = Elementwise.kernel(KernelMode.parse(mode));
        SplittableRandom rng = new SplittableRandom(7);
        x = new float[n];
        b = new float[n];
        y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 10 - 5);
            b[i] = (float) (rng.nextDouble() * 2 - 1);
        }
    }

    /** One output element, returned so that the JIT cannot drop the work. */
    private double last() {
        return y[n - 1];
    }

    @Benchmark
    public double exp() {
        k.exp(x, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public double tanh() {
        k.tanh(x, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public double sigmoid() {
        k.sigmoid(x, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public double silu() {
        k.silu(x, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public double add() {
        k.binary(BinaryOp.ADD, x, 0, b, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public double axpy() {
        k.axpy(0.5f, b, 0, y, 0, n);
        return last();
    }

    @Benchmark
    public float sum() {
        return k.sum(x, 0, n);
    }

    @Benchmark
    public double svmlExp() {
        int i = 0;
        for (; i < S.loopBound(n); i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) Math.exp(x[i]);
        }
        return last();
    }

    @Benchmark
    public double svmlTanh() {
        int i = 0;
        for (; i < S.loopBound(n); i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
        return last();
    }
}
