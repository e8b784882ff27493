package dev.recur.core.scan.ssd;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.joinTime;
import static dev.recur.core.scan.ScanTesting.sliceTime;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Streaming parity at T = 4096: the step loop, the chunked forward and a split forward agree. */
class SsdStepTest {
    private static final int B = 1;
    private static final int T = 4096;
    private static final int H = 4;
    private static final int P = 4;
    private static final int G = 2;
    private static final int N = 8;

    private final Rng rng = new Rng(3);
    private final Tensor x = Tensor.of(uniform(rng, B * T * H * P, -1, 1), B, T, H, P);
    private final Tensor dt = Tensor.of(uniform(rng, B * T * H, 0.01, 0.3), B, T, H);
    private final Tensor a = Tensor.of(uniform(rng, H, -2, -0.2), H);
    private final Tensor b = Tensor.of(uniform(rng, B * T * G * N, -1, 1), B, T, G, N);
    private final Tensor c = Tensor.of(uniform(rng, B * T * G * N, -1, 1), B, T, G, N);
    private final Tensor dSkip = Tensor.of(uniform(rng, H, -1, 1), H);
    private final Tensor h0 = Tensor.of(uniform(rng, B * H * P * N, -1, 1), B, H, P, N);

    private ScanOutput forward(int t0, int t1, Tensor state) {
        return Ssd.apply(new SsdChunked(), sliceTime(x, t0, t1), sliceTime(dt, t0, t1), a, sliceTime(b, t0, t1),
                sliceTime(c, t0, t1), dSkip, state);
    }

    private static Tensor at(Tensor v, int t) {
        Tensor s = sliceTime(v, t, t + 1);
        int[] shape = v.shape();
        int[] flat = new int[shape.length - 1];
        flat[0] = shape[0];
        System.arraycopy(shape, 2, flat, 1, shape.length - 2);
        return Tensor.of(s.data(), flat);
    }

    @Test
    void stepLoopEqualsChunkedForward() {
        ScanOutput whole = forward(0, T, h0);
        Tensor state = h0;
        float[] y = new float[x.size()];
        for (int t = 0; t < T; t++) {
            ScanOutput out = Ssd.step(at(x, t), at(dt, t), a, at(b, t), at(c, t), dSkip, state);
            System.arraycopy(out.output().data(), 0, y, t * H * P, H * P);
            state = out.state();
        }
        assertClose("y, steps vs chunked forward", whole.output().data(), y, 1e-4);
        assertClose("hT, steps vs chunked forward", whole.state().data(), state.data(), 1e-4);
    }

    @Test
    void forwardSplitAnywhereWithStatePassedAcrossEqualsWhole() {
        ScanOutput whole = forward(0, T, h0);
        for (int split : new int[] {1, 100, 2048, 4095}) {
            ScanOutput first = forward(0, split, h0);
            ScanOutput second = forward(split, T, first.state());
            assertClose("y split at " + split, whole.output().data(), joinTime(first.output(), second.output()), 1e-4);
            assertClose("hT split at " + split, whole.state().data(), second.state().data(), 1e-4);
        }
    }
}
