package dev.recur.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.parallel.ComputePool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Long slices split over the pool give exactly the bits of one call of the inner kernel, for every method, on
 * 1, 2 and 3 threads, at a length that leaves a scalar tail and at non-zero offsets.
 */
class ElementwiseParallelTest {
    private static final int N = 100_003;
    private static final int OFF = 5;

    private static float[] random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[N + 2 * OFF];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 8 - 4);
        }
        return x;
    }

    /** Runs {@code op(kernel, a, b, y)} on fresh copies of the same inputs and returns y. */
    private static float[] run(ElementwiseKernel kernel, Op op) {
        float[] a = random(1);
        float[] b = random(2);
        float[] y = random(3);
        op.apply(kernel, a, b, y);
        return y;
    }

    private interface Op {
        void apply(ElementwiseKernel k, float[] a, float[] b, float[] y);
    }

    @Test
    void splitCallsGiveTheBitsOfOneCall() {
        Op[] ops = {
            (k, a, b, y) -> k.binary(BinaryOp.MUL, a, OFF, b, 0, y, OFF, N),
            (k, a, b, y) -> k.binaryScalar(BinaryOp.SUB, a, 1, 0.3f, y, 2, N),
            (k, a, b, y) -> k.scalarBinary(BinaryOp.DIV, 1.5f, b, OFF, y, 0, N),
            (k, a, b, y) -> k.axpy(0.7f, a, 3, y, OFF, N),
            (k, a, b, y) -> k.mulAdd(a, 0, b, OFF, y, 1, N),
            (k, a, b, y) -> k.exp(a, OFF, y, OFF, N),
            (k, a, b, y) -> k.tanh(a, 2, y, 0, N),
            (k, a, b, y) -> k.sigmoid(a, 0, y, 0, N),
            (k, a, b, y) -> k.silu(a, 1, y, 1, N),
            (k, a, b, y) -> k.tanhBackward(a, 0, b, OFF, y, 3, N),
            (k, a, b, y) -> k.sigmoidBackward(a, OFF, b, 0, y, OFF, N),
            (k, a, b, y) -> k.siluBackward(a, 2, b, 1, y, 0, N),
            (k, a, b, y) -> y[0] = k.sum(a, OFF, N) + k.dot(a, 0, b, OFF, N),
        };
        ElementwiseKernel one = new ElementwiseVector();
        ElementwiseKernel split = new ElementwiseParallel(new ElementwiseVector());
        int original = ComputePool.shared().threads();
        try {
            for (int threads = 1; threads <= 3; threads++) {
                ComputePool.configure(threads);
                for (int i = 0; i < ops.length; i++) {
                    assertThat(run(split, ops[i])).as("op %d on %d threads", i, threads)
                            .containsExactly(run(one, ops[i]));
                }
            }
        } finally {
            ComputePool.configure(original);
        }
    }
}
