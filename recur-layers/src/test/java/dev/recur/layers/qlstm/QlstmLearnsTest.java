package dev.recur.layers.qlstm;

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
 * A quasi-LSTM with a linear readout learns a running sum of its inputs, a task that needs the cell's memory
 * (a memoryless model explains at most the share of the last input, about a fifth here): Adam brings the mean
 * squared error below 5% of the target variance.
 */
class QlstmLearnsTest {
    private static final int BATCH = 16;
    private static final int STEPS = 12;

    @Test
    void learnsRunningSum() {
        QlstmLayer layer = new QlstmLayer(QlstmConfig.of(1, 16).withInitStd(0.3f), new Rng(1));
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
        for (int it = 0; it < 400; it++) {
            float[] x = new float[BATCH * STEPS];
            float[] y = new float[BATCH * STEPS];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (data.nextGaussian() * 0.5);
            }
            double var = 0;
            for (int b = 0; b < BATCH; b++) {
                float sum = 0;
                for (int t = 0; t < STEPS; t++) {
                    sum += x[b * STEPS + t];
                    y[b * STEPS + t] = sum / 2;
                    var += (double) y[b * STEPS + t] * y[b * STEPS + t];
                }
            }
            Tensor out = layer.forward(Tensor.of(x, BATCH, STEPS, 1), null).output();
            Tensor pred = add(matmul(out, readout), readoutBias);
            Tensor loss = Reductions.mean(square(sub(pred, Tensor.of(y, BATCH, STEPS, 1))));
            adam.zeroGrad();
            loss.backward();
            adam.step();
            if (it >= 380) {
                lossSum += loss.item();
                varSum += var / y.length;
            }
        }
        assertThat(lossSum / varSum).isLessThan(0.05);
    }
}
