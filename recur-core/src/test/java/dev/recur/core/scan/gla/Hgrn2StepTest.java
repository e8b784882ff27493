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

/** HGRN-2 streaming parity: the step loop, the chunked and sequential forwards, and a split forward agree. */
class Hgrn2StepTest {
    private static final int B = 2;
    private static final int T = 600;
    private static final int H = 2;
    private static final int K = 7;
    private static final int V = 5;

    private final Rng rng = new Rng(13);
    private final Tensor gate = Tensor.of(uniform(rng, B * T * H * K, -1, 1), B, T, H, K);
    private final Tensor logForget = Hgrn2.logForget(Tensor.of(uniform(rng, B * T * H * K, -4, 4), B, T, H, K),
            0.5f);
    private final Tensor input = Tensor.of(uniform(rng, B * T * H * V, -1, 1), B, T, H, V);
    private final Tensor h0 = Tensor.of(uniform(rng, B * H * K * V, -1, 1), B, H, K, V);

    @Test
    void stepLoopAndSequentialForwardEqualChunkedForward() {
        ScanOutput whole = Hgrn2.apply(new GlaChunked(), gate, logForget, input, h0, 1f);
        ScanOutput sequential = Hgrn2.apply(new GlaReference(), gate, logForget, input, h0, 1f);
        assertClose("o, sequential vs chunked", sequential.output().data(), whole.output().data(), 1e-5);
        assertClose("hT, sequential vs chunked", sequential.state().data(), whole.state().data(), 1e-5);
        Tensor state = h0;
        float[] o = new float[input.size()];
        for (int t = 0; t < T; t++) {
            ScanOutput out = Hgrn2.step(at(gate, t), at(logForget, t), at(input, t), state, 1f);
            for (int b = 0; b < B; b++) {
                System.arraycopy(out.output().data(), b * H * V, o, (b * T + t) * H * V, H * V);
            }
            state = out.state();
        }
        assertClose("o, steps vs chunked", whole.output().data(), o, 1e-4);
        assertClose("hT, steps vs chunked", whole.state().data(), state.data(), 1e-4);
    }

    @Test
    void forwardSplitWithStatePassedAcrossEqualsWhole() {
        ScanOutput whole = Hgrn2.apply(gate, logForget, input, h0, 1f);
        int split = 129;
        ScanOutput first = Hgrn2.apply(slice(gate, 0, split), slice(logForget, 0, split), slice(input, 0, split), h0,
                1f);
        ScanOutput second = Hgrn2.apply(slice(gate, split, T), slice(logForget, split, T), slice(input, split, T),
                first.state(), 1f);
        assertClose("o split at " + split, whole.output().data(), join(first.output(), second.output()), 1e-4);
        assertClose("hT split at " + split, whole.state().data(), second.state().data(), 1e-4);
    }
}
