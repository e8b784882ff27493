package dev.recur.layers.reservoir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The reservoir states equal a double-precision twin of the leaky update written from its stored weights; the
 * step loop and a split forward equal the whole forward bit for bit; the state survives a bytes round trip; bad
 * input and an unfitted readout are reported with the network's name.
 */
class EsnStepTest {
    private static final EsnConfig CONFIG = EsnConfig.of(3, 40, 2, 11).withLeakRate(0.4).withDensity(0.2);
    private static final int BATCH = 2;
    private static final int STEPS = 15;

    private static EchoStateNetwork fitted() {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        Tensor u = Tensor.randn(new Rng(1), 1f, 2, 50, 3);
        Tensor y = Tensor.randn(new Rng(2), 1f, 2, 50, 2);
        esn.fitRidge(u, y, 5, 1e-3);
        return esn;
    }

    @Test
    void statesMatchDoubleTwinOfLeakyUpdate() {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        Tensor u = Tensor.randn(new Rng(3), 1f, BATCH, STEPS, 3);
        Tensor states = esn.states(u, null);
        Reservoir r = esn.reservoir();
        int n = r.size();
        double[][] w = new double[n][n];
        int[] indptr = r.weight().indptr();
        int[] indices = r.weight().indices();
        float[] values = r.weight().values();
        for (int i = 0; i < n; i++) {
            for (int k = indptr[i]; k < indptr[i + 1]; k++) {
                w[i][indices[k]] = values[k];
            }
        }
        float[] win = r.inputWeight();
        double maxDiff = 0;
        for (int b = 0; b < BATCH; b++) {
            double[] x = new double[n];
            for (int t = 0; t < STEPS; t++) {
                double[] next = new double[n];
                for (int i = 0; i < n; i++) {
                    double pre = win[i * 4];
                    for (int j = 0; j < 3; j++) {
                        pre += win[i * 4 + 1 + j] * u.data()[(b * STEPS + t) * 3 + j];
                    }
                    for (int j = 0; j < n; j++) {
                        pre += w[i][j] * x[j];
                    }
                    next[i] = 0.6 * x[i] + 0.4 * Math.tanh(pre);
                    maxDiff = Math.max(maxDiff, Math.abs(next[i] - states.data()[((b * STEPS + t) * n) + i]));
                }
                x = next;
            }
        }
        assertThat(maxDiff).isLessThan(1e-5);
    }

    @Test
    void stepLoopAndSplitForwardEqualWholeForwardExactly() {
        EchoStateNetwork esn = fitted();
        Tensor u = Tensor.randn(new Rng(4), 1f, BATCH, STEPS, 3);
        EsnOutput whole = esn.forward(u, null);
        EsnState state = esn.initialState(BATCH);
        for (int t = 0; t < STEPS; t++) {
            EsnOutput out = esn.step(Reshaping.reshape(Reshaping.slice(u, 1, t, t + 1), BATCH, 3), state);
            float[] expected = Reshaping.slice(whole.output(), 1, t, t + 1).data();
            assertThat(out.output().data()).as("step %d", t).containsExactly(expected);
            state = EsnState.fromBytes(out.state().toBytes());
        }
        assertThat(state.x().data()).containsExactly(whole.state().x().data());
        for (int split = 1; split < STEPS; split++) {
            EsnOutput first = esn.forward(Reshaping.slice(u, 1, 0, split), null);
            EsnOutput second = esn.forward(Reshaping.slice(u, 1, split, STEPS), first.state());
            assertThat(Reshaping.concat(1, first.output(), second.output()).data()).as("split %d", split)
                    .containsExactly(whole.output().data());
        }
    }

    @Test
    void sameSeedGivesSameReservoirBits() {
        EchoStateNetwork a = new EchoStateNetwork(CONFIG);
        EchoStateNetwork b = new EchoStateNetwork(CONFIG);
        assertThat(a.reservoir().weight().values()).containsExactly(b.reservoir().weight().values());
        assertThat(a.reservoir().inputWeight()).containsExactly(b.reservoir().inputWeight());
    }

    @Test
    void badInputIsReportedWithTheNetworkName() {
        EchoStateNetwork esn = new EchoStateNetwork(CONFIG);
        Tensor u = Tensor.zeros(1, 4, 3);
        assertThatThrownBy(() -> esn.forward(u, null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("ESN(3 -> 40 -> 2)").hasMessageContaining("not fitted");
        assertThatThrownBy(() -> esn.states(Tensor.zeros(1, 4, 2), null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("got [1, 4, 2]");
        assertThatThrownBy(() -> esn.fitRidge(u, Tensor.zeros(1, 4, 2), 4, 1e-3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("washout");
        assertThatThrownBy(() -> esn.fitRidge(u, Tensor.zeros(1, 5, 2), 0, 1e-3)).isInstanceOf(RecurException.class)
                .hasMessageContaining("targets");
        assertThatThrownBy(() -> CONFIG.withSpectralRadius(0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("spectralRadius");
        byte[] bytes = esn.initialState(2).toBytes();
        assertThatThrownBy(() -> EsnState.fromBytes(Arrays.copyOf(bytes, 10))).isInstanceOf(RecurException.class);
    }
}
