package dev.recur.core.scan.gla;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;
import static dev.recur.core.scan.SequenceSlices.at;
import static dev.recur.core.scan.SequenceSlices.join;
import static dev.recur.core.scan.SequenceSlices.slice;

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
        Tensor[] whole = Hgrn2.apply(new GlaChunked(), gate, logForget, input, h0, 1f);
        Tensor[] sequential = Hgrn2.apply(new GlaReference(), gate, logForget, input, h0, 1f);
        assertClose("o, sequential vs chunked", sequential[0].data(), whole[0].data(), 1e-5);
        assertClose("hT, sequential vs chunked", sequential[1].data(), whole[1].data(), 1e-5);
        Tensor state = h0;
        float[] o = new float[input.size()];
        for (int t = 0; t < T; t++) {
            Tensor[] out = Hgrn2.step(at(gate, t), at(logForget, t), at(input, t), state, 1f);
            for (int b = 0; b < B; b++) {
                System.arraycopy(out[0].data(), b * H * V, o, (b * T + t) * H * V, H * V);
            }
            state = out[1];
        }
        assertClose("o, steps vs chunked", whole[0].data(), o, 1e-4);
        assertClose("hT, steps vs chunked", whole[1].data(), state.data(), 1e-4);
    }

    @Test
    void forwardSplitWithStatePassedAcrossEqualsWhole() {
        Tensor[] whole = Hgrn2.apply(gate, logForget, input, h0, 1f);
        int split = 129;
        Tensor[] first = Hgrn2.apply(slice(gate, 0, split), slice(logForget, 0, split), slice(input, 0, split), h0,
                1f);
        Tensor[] second = Hgrn2.apply(slice(gate, split, T), slice(logForget, split, T), slice(input, split, T),
                first[1], 1f);
        assertClose("o split at " + split, whole[0].data(), join(first[0], second[0]), 1e-4);
        assertClose("hT split at " + split, whole[1].data(), second[1].data(), 1e-4);
    }
}
