package dev.recur.layers.rhn;

import static dev.recur.core.ops.Arithmetic.add;
import static dev.recur.core.ops.Arithmetic.square;
import static dev.recur.core.ops.Arithmetic.sub;
import static dev.recur.core.ops.Matmul.matmul;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reductions;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.testing.TestAdam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A depth-2 RHN with a linear readout learns to recall its input from two tokens back (a task a memoryless
 * model cannot do better than the target variance, 1): Adam brings the mean squared error below 0.05.
 */
class RhnLearnsTest {
    private static final int BATCH = 16;
    private static final int STEPS = 12;
    private static final int DELAY = 2;

    @Test
    void learnsDelayedRecall() {
        RhnLayer layer = new RhnLayer(new RhnConfig(1, 16, 2, -1f, false), new Rng(1));
        Rng rng = new Rng(2);
        Tensor readout = Tensor.randn(rng, 0.1f, 16, 1).requiresGrad(true);
        Tensor readoutBias = Tensor.zeros(1).requiresGrad(true);
        List<Tensor> params = new ArrayList<>(layer.parameters().values());
        params.add(readout);
        params.add(readoutBias);
        TestAdam adam = new TestAdam(params, 0.02f);
        Rng data = new Rng(3);
        float last = Float.NaN;
        for (int it = 0; it < 300; it++) {
            float[] x = new float[BATCH * STEPS];
            float[] y = new float[BATCH * STEPS];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) data.nextGaussian();
            }
            for (int b = 0; b < BATCH; b++) {
                for (int t = DELAY; t < STEPS; t++) {
                    y[b * STEPS + t] = x[b * STEPS + t - DELAY];
                }
            }
            Tensor out = layer.forward(Tensor.of(x, BATCH, STEPS, 1), null).output();
            Tensor pred = add(matmul(out, readout), readoutBias);
            Tensor loss = Reductions.mean(square(sub(pred, Tensor.of(y, BATCH, STEPS, 1))));
            adam.zeroGrad();
            loss.backward();
            adam.step();
            last = loss.item();
        }
        assertThat(last).isLessThan(0.05f);
    }
}
