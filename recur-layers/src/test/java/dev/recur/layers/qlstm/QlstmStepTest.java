package dev.recur.layers.qlstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Streaming: the step loop equals the scan forward (also at T = 4096, relative error at most 1e-4), a forward
 * split anywhere with the state passed across equals the whole, the state survives a bytes round trip, and bad
 * input is rejected with a message naming the layer.
 */
class QlstmStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 11;

    @Test
    void stepLoopEqualsForward() {
        stepLoop(QlstmConfig.of(4, 6).withInitStd(0.5f), STEPS, 1e-6);
    }

    @Test
    void stepLoopEqualsForwardOnLongSequence() {
        stepLoop(QlstmConfig.of(2, 8).withInitStd(0.5f), 4096, 1e-4);
    }

    private static void stepLoop(QlstmConfig cfg, int steps, double tolerance) {
        QlstmLayer layer = new QlstmLayer(cfg, new Rng(1));
        int in = cfg.inputSize();
        int h = cfg.hiddenSize();
        Tensor x = Tensor.randn(new Rng(2), 1f, BATCH, steps, in);
        QlstmState s0 = new QlstmState(Tensor.randn(new Rng(3), 0.5f, BATCH, h));
        QlstmOutput whole = layer.forward(x, s0);
        QlstmState state = s0;
        float[] stepped = new float[whole.output().size()];
        for (int t = 0; t < steps; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, in);
            QlstmOutput out = layer.step(xt, state);
            for (int b = 0; b < BATCH; b++) {
                System.arraycopy(out.output().data(), b * h, stepped, (b * steps + t) * h, h);
            }
            state = out.state();
        }
        assertThat(relativeError(stepped, whole.output().data())).isLessThanOrEqualTo(tolerance);
        assertThat(relativeError(state.c().data(), whole.state().c().data())).isLessThanOrEqualTo(tolerance);
    }

    @Test
    void splitForwardEqualsWholeAtEveryPoint() {
        QlstmLayer layer = new QlstmLayer(QlstmConfig.of(4, 6).withInitStd(0.5f), new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 1f, BATCH, STEPS, 4);
        QlstmOutput whole = layer.forward(x, null);
        for (int split = 1; split < STEPS; split++) {
            QlstmOutput first = layer.forward(Reshaping.slice(x, 1, 0, split), null);
            QlstmState carried = QlstmState.fromBytes(first.state().toBytes());
            QlstmOutput second = layer.forward(Reshaping.slice(x, 1, split, STEPS), carried);
            Tensor joined = Reshaping.concat(1, first.output(), second.output());
            assertThat(relativeError(joined.data(), whole.output().data())).as("split at %d", split)
                    .isLessThanOrEqualTo(1e-6);
            assertThat(relativeError(second.state().c().data(), whole.state().c().data())).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void stateBytesRoundTripExactlyAndRejectBadLengths() {
        QlstmState s = new QlstmState(Tensor.randn(new Rng(6), 1f, 2, 5));
        QlstmState back = QlstmState.fromBytes(s.toBytes());
        assertThat(back.c().shape()).containsExactly(2, 5);
        assertThat(back.c().data()).containsExactly(s.c().data());
        byte[] bytes = s.toBytes();
        assertThatThrownBy(() -> QlstmState.fromBytes(Arrays.copyOf(bytes, bytes.length + 4)))
                .isInstanceOf(RecurException.class).hasMessageContaining("needs");
        bytes[0] = 'X';
        assertThatThrownBy(() -> QlstmState.fromBytes(bytes)).isInstanceOf(RecurException.class)
                .hasMessageContaining("magic");
    }

    @Test
    void badInputNamesLayerExpectedAndGot() {
        QlstmLayer layer = new QlstmLayer(QlstmConfig.of(4, 6), new Rng(7));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 3, 5), null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("QuasiLSTM(4, 6)").hasMessageContaining("got [2, 3, 5]");
        assertThatThrownBy(() -> layer.step(Tensor.zeros(2, 4), QlstmState.zeros(3, 6)))
                .isInstanceOf(RecurException.class).hasMessageContaining("state c");
        assertThatThrownBy(() -> QlstmConfig.of(0, 6)).isInstanceOf(RecurException.class)
                .hasMessageContaining("inputSize");
    }

    static double relativeError(float[] a, float[] b) {
        assertThat(a.length).isEqualTo(b.length);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        return diff / Math.max(ref, 1e-6);
    }
}
