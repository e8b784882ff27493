package dev.recur.layers.rhn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Streaming: a step loop equals the forward, a prefill of 3000 tokens then steps equal one forward at T = 4096
 * (relative error at most 1e-4), a forward split anywhere with the state passed across equals the
 * whole, the state survives a bytes round trip, and bad input is rejected with a message naming the layer.
 */
class RhnStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 10;
    private static final RhnConfig CONFIG = RhnConfig.of(4, 6, 3).withLayerNorm(true);

    @Test
    void stepLoopEqualsForward() {
        RhnLayer layer = new RhnLayer(CONFIG, new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1f, BATCH, STEPS, 4);
        RhnState s0 = new RhnState(Tensor.randn(new Rng(3), 0.5f, BATCH, 6));
        RhnOutput whole = layer.forward(x, s0);
        RhnState state = s0;
        for (int t = 0; t < STEPS; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, 4);
            RhnOutput out = layer.step(xt, state);
            Tensor expected = Reshaping.reshape(Reshaping.slice(whole.output(), 1, t, t + 1), BATCH, 6);
            assertThat(maxDiff(out.output(), expected)).as("step %d", t).isLessThanOrEqualTo(1e-6);
            state = RhnState.fromBytes(out.state().toBytes());
        }
        assertThat(maxDiff(state.s(), whole.state().s())).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void splitForwardEqualsWholeAtEveryPoint() {
        RhnLayer layer = new RhnLayer(CONFIG, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 1f, BATCH, STEPS, 4);
        RhnOutput whole = layer.forward(x, null);
        for (int split = 1; split < STEPS; split++) {
            RhnOutput first = layer.forward(Reshaping.slice(x, 1, 0, split), null);
            RhnOutput second = layer.forward(Reshaping.slice(x, 1, split, STEPS), first.state());
            Tensor joined = Reshaping.concat(1, first.output(), second.output());
            assertThat(maxDiff(joined, whole.output())).as("split at %d", split).isLessThanOrEqualTo(1e-6);
            assertThat(maxDiff(second.state().s(), whole.state().s())).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void stateBytesRoundTripExactly() {
        RhnState s = new RhnState(Tensor.randn(new Rng(6), 1f, 2, 5));
        RhnState back = RhnState.fromBytes(s.toBytes());
        assertThat(back.s().shape()).containsExactly(2, 5);
        assertThat(back.s().data()).containsExactly(s.s().data());
        byte[] bytes = s.toBytes();
        assertThatThrownBy(() -> RhnState.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("needs");
    }

    @Test
    void badInputNamesLayerExpectedAndGot() {
        RhnLayer layer = new RhnLayer(CONFIG, new Rng(7));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 3, 5), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("RHN(4, 6").hasMessageContaining("[2, 3, 5]");
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 3, 4), RhnState.zeros(3, 6)))
                .isInstanceOf(RecurException.class).hasMessageContaining("state");
        assertThatThrownBy(() -> new RhnConfig(4, 6, 0, -2f, false))
                .isInstanceOf(RecurException.class).hasMessageContaining("depth");
    }

    @Test
    void prefillThenStepsEqualsOneForwardAtLongLength() {
        int steps = 4096;
        int prefill = 3000;
        RhnLayer layer = new RhnLayer(RhnConfig.of(3, 8, 2), new Rng(20));
        Tensor x = Tensor.randn(new Rng(21), 1f, 2, steps, 3);
        try (GradMode.Scope scope = GradMode.noGrad()) {
            Tensor whole = layer.forward(x, null).output();
            var first = layer.forward(Reshaping.slice(x, 1, 0, prefill), null);
            RhnState state = first.state();
            float[] got = new float[whole.size()];
            for (int t = prefill; t < steps; t++) {
                var out = layer.step(Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), 2, 3), state);
                for (int b = 0; b < 2; b++) {
                    System.arraycopy(out.output().data(), b * 8, got, (b * steps + t) * 8, 8);
                }
                state = out.state();
            }
            float[] head = first.output().data();
            for (int b = 0; b < 2; b++) {
                System.arraycopy(head, b * prefill * 8, got, b * steps * 8, prefill * 8);
            }
            double diff = 0;
            double ref = 0;
            for (int i = 0; i < got.length; i++) {
                diff = Math.max(diff, Math.abs(got[i] - whole.data()[i]));
                ref = Math.max(ref, Math.abs(whole.data()[i]));
            }
            assertThat(diff / ref).isLessThanOrEqualTo(1e-4);
        }
    }

    static double maxDiff(Tensor a, Tensor b) {
        assertThat(a.shape()).containsExactly(b.shape());
        double m = 0;
        for (int i = 0; i < a.size(); i++) {
            m = Math.max(m, Math.abs(a.data()[i] - b.data()[i]));
        }
        return m;
    }
}
