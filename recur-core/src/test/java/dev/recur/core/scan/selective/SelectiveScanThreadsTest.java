package dev.recur.core.scan.selective;

import dev.recur.core.scan.ScanOutput;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.ThreadCounts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * At a size where the delta bias and softplus passes run on the pool (forward by rows, backward by channel
 * ranges), the scan's outputs and every gradient, the delta bias's included, keep the same bits on 1, 2 and 3
 * threads.
 */
class SelectiveScanThreadsTest {
    private static List<float[]> run() {
        Rng rng = new Rng(8);
        int batch = 2;
        int steps = 300;
        int channels = 64;
        int state = 4;
        Tensor u = Tensor.randn(rng, 1f, batch, steps, channels).requiresGrad(true);
        Tensor delta = Tensor.randn(rng, 8f, batch, steps, channels).requiresGrad(true); // some past the threshold
        Tensor a = Tensor.randn(rng, 0.5f, channels, state).requiresGrad(true);
        Tensor b = Tensor.randn(rng, 1f, batch, steps, state).requiresGrad(true);
        Tensor c = Tensor.randn(rng, 1f, batch, steps, state).requiresGrad(true);
        Tensor dSkip = Tensor.randn(rng, 1f, channels).requiresGrad(true);
        Tensor bias = Tensor.randn(rng, 1f, channels).requiresGrad(true);
        ScanOutput out = SelectiveScan.apply(new SelectiveScanVector(), u, delta, a, b, c, dSkip, null, bias, true);
        out.output().backward(Tensor.randn(rng, 1f, out.output().shape()).data());
        List<float[]> results = new ArrayList<>();
        results.add(out.output().data());
        results.add(out.state().data());
        for (Tensor t : new Tensor[] {u, delta, a, b, c, dSkip, bias}) {
            results.add(t.grad().data());
        }
        return results;
    }

    @Test
    void sameBitsWhateverTheThreadCount() {
        ThreadCounts.assertSameBits(SelectiveScanThreadsTest::run, 1, 2, 3);
    }
}
