package dev.recur.core.scan.diagonal;

import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import dev.recur.core.testing.ThreadCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Over several time chunks per batch entry, the forward and the adjoint give the same bits on 1, 2 and 3 threads,
 * whichever chunks find their carry published and take the one-pass path.
 */
class DiagonalScanThreadsTest {
    private static List<float[]> run() {
        int batch = 2;
        int seqLen = 300; // chunks of 64 steps: five per batch entry
        int d = 64;
        int n = batch * seqLen * d;
        Rng rng = new Rng(17);
        float[] a = uniform(rng, n, -1.02, 1.02);
        float[] b = uniform(rng, n, -1, 1);
        float[] h0 = uniform(rng, batch * d, -1, 1);
        float[] gh = uniform(rng, n, -1, 1);
        float[] ghT = uniform(rng, batch * d, -1, 1);
        float[] h = new float[n];
        float[] hT = new float[batch * d];
        float[] da = new float[n];
        float[] db = new float[n];
        float[] dh0 = new float[batch * d];
        DiagonalScanVector kernel = new DiagonalScanVector(64);
        kernel.forward(a, b, h0, h, hT, batch, seqLen, d);
        kernel.backward(a, h, h0, gh, ghT, da, db, dh0, batch, seqLen, d);
        return List.of(h, hT, da, db, dh0);
    }

    @Test
    void sameBitsWhateverTheThreadCount() {
        ThreadCounts.assertSameBits(DiagonalScanThreadsTest::run, 1, 2, 3);
    }
}
