package dev.recur.core.scan.gla;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;
import static dev.recur.core.scan.SequenceSlices.at;
import static dev.recur.core.scan.SequenceSlices.join;
import static dev.recur.core.scan.SequenceSlices.slice;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Streaming parity at T = 4096: the step loop, the chunked forward and a split forward agree. */
class GlaStepTest {
    private static final int B = 1;
    private static final int T = 4096;
    private static final int H = 2;
    private static final int K = 8;
    private static final int V = 6;
    private static final float SCALE = 0.35f;

    private final Rng rng = new Rng(5);
    private final Tensor q = Tensor.of(uniform(rng, B * T * H * K, -1, 1), B, T, H, K);
    private final Tensor k = Tensor.of(uniform(rng, B * T * H * K, -1, 1), B, T, H, K);
    private final Tensor v = Tensor.of(uniform(rng, B * T * H * V, -1, 1), B, T, H, V);
    private final Tensor logDecay = Tensor.of(uniform(rng, B * T * H * K, -0.5, -0.001), B, T, H, K);
    private final Tensor h0 = Tensor.of(uniform(rng, B * H * K * V, -1, 1), B, H, K, V);

    private ScanOutput forward(int t0, int t1, Tensor state) {
        return Gla.apply(new GlaChunked(), slice(q, t0, t1), slice(k, t0, t1), slice(v, t0, t1),
                slice(logDecay, t0, t1), state, SCALE);
    }

    @Test
    void stepLoopEqualsChunkedForward() {
        ScanOutput whole = forward(0, T, h0);
        Tensor state = h0;
        float[] o = new float[v.size()];
        for (int t = 0; t < T; t++) {
            ScanOutput out = Gla.step(at(q, t), at(k, t), at(v, t), at(logDecay, t), state, SCALE);
            System.arraycopy(out.output().data(), 0, o, t * H * V, H * V);
            state = out.state();
        }
        assertClose("o, steps vs chunked forward", whole.output().data(), o, 1e-4);
        assertClose("hT, steps vs chunked forward", whole.state().data(), state.data(), 1e-4);
    }

    @Test
    void forwardSplitAnywhereWithStatePassedAcrossEqualsWhole() {
        ScanOutput whole = forward(0, T, h0);
        for (int split : new int[] {1, 100, 2048, 4095}) {
            ScanOutput first = forward(0, split, h0);
            ScanOutput second = forward(split, T, first.state());
            assertClose("o split at " + split, whole.output().data(), join(first.output(), second.output()), 1e-4);
            assertClose("hT split at " + split, whole.state().data(), second.state().data(), 1e-4);
        }
    }

    @Test
    void linearAttentionStepLoopEqualsChunkedForward() {
        int steps = 500;
        Tensor qs = slice(q, 0, steps);
        Tensor ks = slice(k, 0, steps);
        Tensor vs = slice(v, 0, steps);
        ScanOutput whole = LinearAttention.apply(new GlaChunked(), qs, ks, vs, h0, SCALE);
        Tensor state = h0;
        float[] o = new float[vs.size()];
        for (int t = 0; t < steps; t++) {
            ScanOutput out = LinearAttention.step(at(qs, t), at(ks, t), at(vs, t), state, SCALE);
            System.arraycopy(out.output().data(), 0, o, t * H * V, H * V);
            state = out.state();
        }
        assertClose("o, linear attention steps vs chunked", whole.output().data(), o, 1e-4);
        assertClose("hT, linear attention steps vs chunked", whole.state().data(), state.data(), 1e-4);
    }
}
