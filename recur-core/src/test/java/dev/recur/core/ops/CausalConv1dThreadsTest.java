package dev.recur.core.ops;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.ThreadCounts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The convolution's channel ranges run on the pool at this size; outputs, new state and every gradient keep
 * the same bits on 1, 2 and 3 threads (3 leaves an uneven last range).
 */
class CausalConv1dThreadsTest {
    private static List<float[]> run() {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 1f, 3, 200, 72).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 0.5f, 72, 4).requiresGrad(true);
        Tensor b = Tensor.randn(rng, 0.5f, 72).requiresGrad(true);
        Tensor s = Tensor.randn(rng, 1f, 3, 3, 72).requiresGrad(true);
        CausalConv1d.Result r = CausalConv1d.forward(x, w, b, s);
        r.output().backward(Tensor.randn(rng, 1f, r.output().shape()).data());
        r.state().backward(Tensor.randn(rng, 1f, r.state().shape()).data());
        List<float[]> out = new ArrayList<>();
        for (Tensor t : new Tensor[] {r.output(), r.state()}) {
            out.add(t.data());
        }
        for (Tensor t : new Tensor[] {x, w, b, s}) {
            out.add(t.grad().data());
        }
        return out;
    }

    @Test
    void sameBitsWhateverTheThreadCount() {
        ThreadCounts.assertSameBits(CausalConv1dThreadsTest::run, 1, 2, 3);
    }
}
