package dev.recur.layers.leaky;

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
 * A leaky RNN with a linear readout learns to report the running mean of a noisy input stream, a task that
 * rewards slow neurons: Adam brings the mean squared error below 10% of the target variance, and the trained
 * time constants grow on average above their initial value of 2.
 */
class LeakyRnnLearnsTest {
    private static final int BATCH = 16;
    private static final int STEPS = 20;

    @Test
    void learnsRunningMeanWithLongerTimescales() {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(1, 16), new Rng(1));
        Rng rng = new Rng(2);
        Tensor readout = Tensor.randn(rng, 0.1f, 16, 1).requiresGrad(true);
        Tensor readoutBias = Tensor.zeros(1).requiresGrad(true);
        List<Tensor> params = new ArrayList<>(layer.parameters().values());
        params.add(readout);
        params.add(readoutBias);
        TestAdam adam = new TestAdam(params, 0.02f);
        Rng data = new Rng(3);
        double lossSum = 0;
        double varSum = 0;
        for (int it = 0; it < 300; it++) {
            float[] x = new float[BATCH * STEPS];
            float[] y = new float[BATCH * STEPS];
            double var = 0;
            for (int b = 0; b < BATCH; b++) {
                float mean = (float) data.nextGaussian() * 0.5f;
                float sum = 0;
                for (int t = 0; t < STEPS; t++) {
                    x[b * STEPS + t] = mean + (float) data.nextGaussian();
                    sum += x[b * STEPS + t];
                    y[b * STEPS + t] = sum / (t + 1);
                    var += (double) y[b * STEPS + t] * y[b * STEPS + t];
                }
            }
            Tensor out = layer.forward(Tensor.of(x, BATCH, STEPS, 1), null).output();
            Tensor pred = add(matmul(out, readout), readoutBias);
            Tensor loss = Reductions.mean(square(sub(pred, Tensor.of(y, BATCH, STEPS, 1))));
            adam.zeroGrad();
            loss.backward();
            adam.step();
            if (it >= 280) {
                lossSum += loss.item();
                varSum += var / y.length;
            }
        }
        assertThat(lossSum / varSum).isLessThan(0.1);
        double meanTau = 0;
        for (float tau : layer.taus()) {
            assertThat(tau).isGreaterThanOrEqualTo(1f);
            meanTau += tau / 16.0;
        }
        assertThat(meanTau).isGreaterThan(2.0);
    }
}
