package dev.recur.layers.leaky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streaming (step loop, split forward, and a 3000-token prefill then steps at T = 4096 equal the whole forward;
 * state bytes round trip), the time-constant parameterisation (tau starts at the configured value, never drops
 * below 1, CSV holds exactly {@code taus()}) and input validation.
 */
class LeakyRnnStepTest {
    private static final int BATCH = 3;
    private static final int STEPS = 9;

    @Test
    void stepLoopEqualsForward() {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(4, 6), new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1f, BATCH, STEPS, 4);
        LeakyRnnState s0 = new LeakyRnnState(Tensor.randn(new Rng(3), 0.5f, BATCH, 6));
        LeakyRnnOutput whole = layer.forward(x, s0);
        LeakyRnnState state = s0;
        for (int t = 0; t < STEPS; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, 4);
            LeakyRnnOutput out = layer.step(xt, state);
            Tensor expected = Reshaping.reshape(Reshaping.slice(whole.output(), 1, t, t + 1), BATCH, 6);
            assertThat(maxDiff(out.output(), expected)).as("step %d", t).isLessThanOrEqualTo(1e-6);
            state = LeakyRnnState.fromBytes(out.state().toBytes());
        }
        assertThat(maxDiff(state.h(), whole.state().h())).isLessThanOrEqualTo(1e-6);
    }

    @Test
    void splitForwardEqualsWholeAtEveryPoint() {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(4, 6).withActivation(LeakyActivation.RELU),
                new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 1f, BATCH, STEPS, 4);
        LeakyRnnOutput whole = layer.forward(x, null);
        for (int split = 1; split < STEPS; split++) {
            LeakyRnnOutput first = layer.forward(Reshaping.slice(x, 1, 0, split), null);
            LeakyRnnOutput second = layer.forward(Reshaping.slice(x, 1, split, STEPS), first.state());
            Tensor joined = Reshaping.concat(1, first.output(), second.output());
            assertThat(maxDiff(joined, whole.output())).as("split at %d", split).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void tausStartAtConfiguredValueAndStayAtLeastOne() {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(2, 4).withInitialTau(5f), new Rng(6));
        for (float tau : layer.taus()) {
            assertThat(tau).isCloseTo(5f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        float[] raw = layer.parameters().get("tau_raw").data();
        raw[0] = -200f;
        raw[1] = 200f;
        raw[2] = 0f;
        float[] taus = layer.taus();
        assertThat(taus[0]).isGreaterThanOrEqualTo(1f).isLessThan(1.0001f);
        assertThat(taus[1]).isEqualTo(201f);
        assertThat(taus[2]).isCloseTo((float) (1 + Math.log(2)), org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void tausCsvHoldsEveryNeuron(@TempDir Path dir) throws IOException {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(2, 5), new Rng(7));
        float[] raw = layer.parameters().get("tau_raw").data();
        for (int i = 0; i < raw.length; i++) {
            raw[i] = i - 2.5f;
        }
        Path csv = dir.resolve("taus.csv");
        layer.writeTausCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(6);
        assertThat(lines.get(0)).isEqualTo("neuron,tau");
        float[] taus = layer.taus();
        for (int i = 0; i < 5; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertThat(Integer.parseInt(cells[0])).isEqualTo(i);
            assertThat(Float.parseFloat(cells[1])).isEqualTo(taus[i]);
            assertThat(taus[i]).isCloseTo((float) (1 + Math.log1p(Math.exp(i - 2.5))),
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
    }

    @Test
    void badInputNamesLayerExpectedAndGot() {
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(4, 6), new Rng(8));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 3, 5), null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("LeakyRNN(4, 6)").hasMessageContaining("got [2, 3, 5]");
        assertThatThrownBy(() -> layer.step(Tensor.zeros(2, 4), LeakyRnnState.zeros(2, 7)))
                .isInstanceOf(RecurException.class).hasMessageContaining("state h");
        assertThatThrownBy(() -> LeakyRnnConfig.of(4, 6).withInitialTau(1f)).isInstanceOf(RecurException.class)
                .hasMessageContaining("initialTau");
    }

    @Test
    void prefillThenStepsEqualsOneForwardAtLongLength() {
        int steps = 4096;
        int prefill = 3000;
        LeakyRnnLayer layer = new LeakyRnnLayer(LeakyRnnConfig.of(3, 8), new Rng(20));
        Tensor x = Tensor.randn(new Rng(21), 1f, 2, steps, 3);
        try (GradMode.Scope scope = GradMode.noGrad()) {
            Tensor whole = layer.forward(x, null).output();
            var first = layer.forward(Reshaping.slice(x, 1, 0, prefill), null);
            LeakyRnnState state = first.state();
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
