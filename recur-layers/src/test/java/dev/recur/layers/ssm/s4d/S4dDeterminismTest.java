package dev.recur.layers.ssm.s4d;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reductions;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.ThreadCounts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed gives the same bits (outputs, final state, every gradient) with 1 or 3 pool threads. */
class S4dDeterminismTest {
    private static List<float[]> run() {
        S4dLayer layer = new S4dLayer(new S4dConfig(5, 8, S4dInit.LEGS, Discretization.ZOH, 0.001, 0.1), new Rng(9));
        Tensor u = Tensor.randn(new Rng(10), 1f, 3, 77, 5).requiresGrad(true);
        S4dState s0 = new S4dState(Tensor.randn(new Rng(11), 1f, 3, 5, 4), Tensor.randn(new Rng(12), 1f, 3, 5, 4));
        S4dOutput out = layer.forward(u, s0);
        Reductions.sum(Arithmetic.mul(out.output(), Tensor.randn(new Rng(13), 1f, 3, 77, 5))).backward();
        List<float[]> bits = new ArrayList<>();
        bits.add(out.output().data());
        bits.add(out.state().re().data());
        bits.add(out.state().im().data());
        bits.add(u.grad().data());
        for (Tensor p : layer.parameters().values()) {
            bits.add(p.grad().data());
        }
        return bits;
    }

    @Test
    void sameBitsWhateverTheThreadCount() {
        ThreadCounts.assertSameBits(S4dDeterminismTest::run, 1, 3);
    }
}
