package dev.recur.core.scan.diagonal;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.assertSame;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** The fast diagonal scan kernels against the scalar reference on awkward sizes: outputs, final state, every gradient. */
class DiagonalScanKernelTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 7, true), Arguments.of(2, 63, 7, false), Arguments.of(2, 257, 7, true),
                Arguments.of(1, 1, 500, false), Arguments.of(2, 63, 500, true), Arguments.of(2, 257, 500, true),
                Arguments.of(3, 5, 1100, true), Arguments.of(1, 0, 9, true),
                Arguments.of(1, 6, 4130, true)); // rows of over 16 KiB
    }

    /** All inputs and the reference's outputs and gradients for one size. */
    private record Case(int batch, int seqLen, int channels, float[] a, float[] b, float[] h0, float[] gh,
                        float[] ghT, float[] h, float[] hT, float[] da, float[] db, float[] dh0) {
        static Case of(int batch, int seqLen, int channels, boolean withState) {
            Rng rng = new Rng(31L * seqLen + channels);
            int n = batch * seqLen * channels;
            float[] a = uniform(rng, n, -1.05, 1.05);
            float[] b = uniform(rng, n, -1, 1);
            float[] h0 = withState ? uniform(rng, batch * channels, -1, 1) : null;
            float[] gh = uniform(rng, n, -1, 1);
            float[] ghT = withState ? uniform(rng, batch * channels, -1, 1) : null;
            float[] h = new float[n];
            float[] hT = new float[batch * channels];
            float[] da = new float[n];
            float[] db = new float[n];
            float[] dh0 = new float[batch * channels];
            DiagonalScanReference ref = new DiagonalScanReference();
            ref.forward(a, b, h0, h, hT, batch, seqLen, channels);
            ref.backward(a, h, h0, gh, ghT, da, db, dh0, batch, seqLen, channels);
            return new Case(batch, seqLen, channels, a, b, h0, gh, ghT, h, hT, da, db, dh0);
        }

        float[][] run(DiagonalScanKernel kernel) {
            int n = a.length;
            float[][] out = {new float[n], new float[hT.length], new float[n], new float[n], new float[hT.length]};
            kernel.forward(a, b, h0, out[0], out[1], batch, seqLen, channels);
            // The backward must use the kernel's own forward output, as the op does.
            kernel.backward(a, out[0], h0, gh, ghT, out[2], out[3], out[4], batch, seqLen, channels);
            return out;
        }
    }

    private static final String[] NAMES = {"h", "hT", "da", "db", "dh0"};

    @ParameterizedTest(name = "B={0} T={1} D={2} state={3}")
    @MethodSource("sizes")
    void vectorKernelInOneChunkIsBitIdenticalToReference(int batch, int seqLen, int channels, boolean withState) {
        Case c = Case.of(batch, seqLen, channels, withState);
        float[][] got = c.run(new DiagonalScanVector(Math.max(1, seqLen)));
        float[][] want = {c.h, c.hT, c.da, c.db, c.dh0};
        for (int i = 0; i < NAMES.length; i++) {
            assertSame(NAMES[i] + " B=" + batch + " T=" + seqLen + " D=" + channels, want[i], got[i]);
        }
    }

    @ParameterizedTest(name = "B={0} T={1} D={2} state={3}")
    @MethodSource("sizes")
    void vectorKernelInChunksMatchesReference(int batch, int seqLen, int channels, boolean withState) {
        Case c = Case.of(batch, seqLen, channels, withState);
        float[][] want = {c.h, c.hT, c.da, c.db, c.dh0};
        for (DiagonalScanKernel kernel : new DiagonalScanKernel[] {
                new DiagonalScanVector(1), new DiagonalScanVector(8), new DiagonalScanVector(64),
                new DiagonalScanVector()}) {
            float[][] got = c.run(kernel);
            for (int i = 0; i < NAMES.length; i++) {
                assertClose(NAMES[i] + " chunk=" + ((DiagonalScanVector) kernel).chunkLength(channels) + " B="
                        + batch + " T=" + seqLen + " D=" + channels, want[i], got[i], 1e-5);
            }
        }
    }
}
