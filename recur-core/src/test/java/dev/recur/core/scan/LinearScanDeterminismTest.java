package dev.recur.core.scan;

import static dev.recur.core.scan.ScanTesting.assertSame;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import dev.recur.core.scan.delta.DeltaChunked;
import dev.recur.core.scan.delta.DeltaGrads;
import dev.recur.core.scan.delta.DeltaInputs;
import dev.recur.core.scan.gla.GlaChunked;
import dev.recur.core.scan.gla.GlaGrads;
import dev.recur.core.scan.gla.GlaInputs;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The chunked GLA and delta-rule kernels, forward and backward, give the same bits on one thread and on four
 * (their parallel streams run in the caller's pool).
 */
class LinearScanDeterminismTest {
    private static final int B = 2;
    private static final int T = 150;
    private static final int H = 3;
    private static final int K = 16;
    private static final int V = 12;

    private static float[][] inPool(int threads, Supplier<float[][]> work) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(work::get).get();
        } finally {
            pool.shutdown();
        }
    }

    private static void assertAllSame(String[] names, float[][] one, float[][] many) {
        for (int i = 0; i < names.length; i++) {
            assertSame(names[i] + " on 1 vs 4 threads", one[i], many[i]);
        }
    }

    @Test
    void chunkedGlaIsThreadCountInvariant() throws Exception {
        Rng rng = new Rng(11);
        int bth = B * T * H;
        GlaInputs in = new GlaInputs(uniform(rng, bth * K, -1, 1), uniform(rng, bth * K, -1, 1),
                uniform(rng, bth * V, -1, 1), uniform(rng, bth * K, -2, -0.01), uniform(rng, B * H * K * V, -1, 1),
                0.25f, B, T, H, K, V);
        float[] go = uniform(rng, bth * V, -1, 1);
        Supplier<float[][]> run = () -> {
            GlaChunked kernel = new GlaChunked(32, 8);
            float[] o = new float[bth * V];
            float[] hT = new float[in.stateSize()];
            kernel.forward(in, o, hT);
            GlaGrads g = GlaGrads.zerosFor(in);
            kernel.backward(in, go, hT, g);
            return new float[][] {o, hT, g.q(), g.k(), g.v(), g.logDecay(), g.h0()};
        };
        assertAllSame(new String[] {"o", "hT", "dq", "dk", "dv", "dlogDecay", "dh0"}, inPool(1, run), inPool(4, run));
    }

    @Test
    void chunkedDeltaRuleIsThreadCountInvariant() throws Exception {
        Rng rng = new Rng(12);
        int bth = B * T * H;
        DeltaInputs in = new DeltaInputs(uniform(rng, bth * K, -0.25, 0.25), uniform(rng, bth * K, -0.25, 0.25),
                uniform(rng, bth * V, -1, 1), uniform(rng, bth, 0, 1), uniform(rng, bth, -1, -0.01),
                uniform(rng, B * H * K * V, -1, 1), 0.25f, B, T, H, K, V);
        float[] go = uniform(rng, bth * V, -1, 1);
        Supplier<float[][]> run = () -> {
            DeltaChunked kernel = new DeltaChunked(32);
            float[] o = new float[bth * V];
            float[] hT = new float[in.stateSize()];
            kernel.forward(in, o, hT);
            DeltaGrads g = DeltaGrads.zerosFor(in);
            kernel.backward(in, go, hT, g);
            return new float[][] {o, hT, g.q(), g.k(), g.v(), g.beta(), g.logGate(), g.h0()};
        };
        assertAllSame(new String[] {"o", "hT", "dq", "dk", "dv", "dbeta", "dg", "dh0"}, inPool(1, run),
                inPool(4, run));
    }
}
