package dev.recur.core.scan;

import static dev.recur.core.scan.ScanTesting.assertSame;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.diagonal.DiagonalScanVector;
import dev.recur.core.scan.selective.SelectiveScanGrads;
import dev.recur.core.scan.selective.SelectiveScanInputs;
import dev.recur.core.scan.selective.SelectiveScanVector;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The parallel kernels give the same bits on one thread and on several (parallel streams run in the caller's pool). */
class ScanDeterminismTest {
    private static <T> T inPool(int threads, Supplier<T> work) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(work::get).get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void selectiveScanVectorIsThreadCountInvariant() throws Exception {
        Rng rng = new Rng(5);
        int batch = 3;
        int seqLen = 70;
        int channels = 530;
        int dState = 4;
        int btd = batch * seqLen * channels;
        int btn = batch * seqLen * dState;
        SelectiveScanInputs in = new SelectiveScanInputs(uniform(rng, btd, -1, 1), uniform(rng, btd, 0.01, 0.5),
                uniform(rng, channels * dState, -2, -0.1), uniform(rng, btn, -1, 1), uniform(rng, btn, -1, 1),
                uniform(rng, channels, -1, 1), uniform(rng, batch * channels * dState, -1, 1), batch, seqLen,
                channels, dState);
        float[] gy = uniform(rng, btd, -1, 1);
        Supplier<float[][]> run = () -> {
            SelectiveScanVector k = new SelectiveScanVector();
            float[] y = new float[btd];
            float[] hT = new float[batch * channels * dState];
            float[] saved = k.forward(in, y, hT, true);
            SelectiveScanGrads g = SelectiveScanGrads.zerosFor(in);
            k.backward(in, saved, gy, hT, g);
            return new float[][] {y, hT, g.u(), g.delta(), g.a(), g.b(), g.c(), g.dSkip(), g.h0()};
        };
        float[][] one = inPool(1, run);
        float[][] many = inPool(4, run);
        String[] names = {"y", "hT", "du", "ddelta", "dA", "dB", "dC", "dD", "dh0"};
        for (int i = 0; i < names.length; i++) {
            assertSame(names[i] + " on 1 vs 4 threads", one[i], many[i]);
        }
    }

    @Test
    void diagonalScanInTimeChunksIsThreadCountInvariant() throws Exception {
        Rng rng = new Rng(6);
        int batch = 2;
        int seqLen = 3000;
        int channels = 40; // chunks of 819 steps: four per batch entry, so carries cross threads
        int n = batch * seqLen * channels;
        float[] a = uniform(rng, n, 0.5, 1.0);
        float[] b = uniform(rng, n, -1, 1);
        float[] gh = uniform(rng, n, -1, 1);
        Supplier<float[][]> run = () -> {
            DiagonalScanVector k = new DiagonalScanVector();
            float[][] out = {new float[n], new float[batch * channels], new float[n], new float[n]};
            k.forward(a, b, null, out[0], out[1], batch, seqLen, channels);
            k.backward(a, out[0], null, gh, out[1], out[2], out[3], null, batch, seqLen, channels);
            return out;
        };
        float[][] one = inPool(1, run);
        float[][] two = inPool(2, run);
        float[][] many = inPool(3, run);
        String[] names = {"h", "hT", "da", "db"};
        for (int i = 0; i < names.length; i++) {
            assertSame(names[i] + " on 1 vs 2 threads", one[i], two[i]);
            assertSame(names[i] + " on 1 vs 3 threads", one[i], many[i]);
        }
    }
}
