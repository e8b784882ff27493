package dev.recur.peers;

import dev.recur.cli.bench.GemmSuite;
import dev.recur.cli.bench.Timing;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.bytedeco.openblas.presets.openblas_nolapack;

/**
 * OpenBLAS's {@code cblas_sgemm} (through org.bytedeco) at one of {@link GemmSuite}'s shapes, row-major, with
 * its operands in native memory: the {@code float[]} overloads copy every array through JNI on each call. For
 * its AVX-512 kernels the process must run with {@code OPENBLAS_CORETYPE=COOPERLAKE} (bench/run.sh sets it);
 * left to itself OpenBLAS picks its AVX2 kernels on this CPU.
 */
final class OpenBlasGemm implements AutoCloseable {
    private static final long MS = 1_000_000L;

    private final GemmSuite.Shape shape;
    private final FloatPointer a;
    private final FloatPointer b;
    private final FloatPointer c;

    OpenBlasGemm(GemmSuite.Shape shape, long seed) {
        this.shape = shape;
        SplittableRandom rng = new SplittableRandom(seed);
        a = fill(new FloatPointer((long) shape.m() * shape.k()), rng);
        b = fill(new FloatPointer((long) shape.k() * shape.n()), rng);
        c = new FloatPointer((long) shape.m() * shape.n());
    }

    /** GFLOP/s ({@code 2 m n k} per call) on {@code threads} OpenBLAS threads: the median of timed runs. */
    double gflops(int threads, int repeats) {
        openblas_nolapack.blas_set_num_threads(threads);
        int m = shape.m();
        int n = shape.n();
        int k = shape.k();
        int transB = shape.transB() ? openblas.CblasTrans : openblas.CblasNoTrans;
        int ldb = shape.transB() ? k : n;
        Runnable call = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, transB, m, n, k,
                1f, a, k, b, ldb, 0f, c, n);
        Timing.Result t = Timing.median(call, 300 * MS, 20 * MS, repeats, 3000 * MS);
        return shape.flops() / t.nanosPerCall();
    }

    private static FloatPointer fill(FloatPointer p, SplittableRandom rng) {
        long size = p.capacity();
        float[] chunk = new float[(int) Math.min(size, 1 << 16)];
        for (long i = 0; i < size; i += chunk.length) {
            int len = (int) Math.min(chunk.length, size - i);
            for (int j = 0; j < len; j++) {
                chunk[j] = (float) rng.nextGaussian();
            }
            p.position(i).put(chunk, 0, len);
        }
        p.position(0);
        return p;
    }

    @Override
    public void close() {
        a.close();
        b.close();
        c.close();
    }
}
