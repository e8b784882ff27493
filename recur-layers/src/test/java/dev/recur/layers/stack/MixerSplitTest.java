package dev.recur.layers.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A block's mixer alone on awkward sizes (DESIGN.md invariant 2): over {@code T = 63} tokens (and odd widths
 * where the kind allows them), the whole-sequence forward is the reference; a forward split at 1, 32 or 62 with
 * the state passed across (through its bytes), a token-by-token {@code step} loop (state through bytes every
 * token), and a one-token sequence ({@code T = 1}) from the initial state reproduce its outputs and final state
 * within a relative error of 1e-4 (float32 sums in a different order).
 */
class MixerSplitTest {
    private static final double TOLERANCE = 1e-4;
    private static final int BATCH = 2;
    private static final int STEPS = 63;

    @ParameterizedTest(name = "{0} at width {1}")
    @CsvSource(delimiter = '|', value = {
        "s4d(state=6) | 7", "s4d | 16", "rhn(depth=3) | 7", "qlstm | 7", "leaky(tau=3) | 7", "elman | 7",
        "rwkv | 7", "lightnet(heads=1) | 7", "lightnet(heads=3,conv=2) | 9", "lightnet(conv=0) | 16",
        "lightnet(heads=2) | 16"})
    void splitsAndStepsEqualOneForward(String spec, int width) {
        Mixer mixer = LayerSpec.parse(spec).get(0).create(width, 0.7f, Params.drawn(new Rng(21)));
        Tensor x = Tensor.randn(new Rng(22), 1f, BATCH, STEPS, width);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            MixerOutput whole = mixer.forward(x, null);
            assertThat(whole.state().position()).isEqualTo(STEPS);
            for (int cut : new int[] {1, 32, 62}) {
                MixerOutput head = mixer.forward(Reshaping.slice(x, 1, 0, cut), null);
                MixerState carried = MixerState.fromBytes(head.state().toBytes());
                MixerOutput tail = mixer.forward(Reshaping.slice(x, 1, cut, STEPS), carried);
                Tensor joined = Reshaping.concat(1, head.output(), tail.output());
                assertSame(spec + " split at " + cut, joined, tail.state(), whole);
            }
            MixerOutput stepped = stepLoop(mixer, x, width);
            assertSame(spec + " step loop", stepped.output(), stepped.state(), whole);
            MixerOutput first = mixer.forward(Reshaping.slice(x, 1, 0, 1), null);
            assertThat(TestTensors.relativeError(first.output(), Reshaping.slice(whole.output(), 1, 0, 1)))
                    .as("%s one-token sequence", spec).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    /** A {@code step} per token: the outputs {@code [B, T, D]} and the final state. */
    private static MixerOutput stepLoop(Mixer mixer, Tensor x, int width) {
        MixerState state = mixer.initialState(BATCH);
        Tensor[] outputs = new Tensor[STEPS];
        for (int t = 0; t < STEPS; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), BATCH, width);
            MixerOutput out = mixer.step(xt, MixerState.fromBytes(state.toBytes()));
            assertThat(out.output().shape()).containsExactly(BATCH, width);
            outputs[t] = Reshaping.reshape(out.output(), BATCH, 1, width);
            state = out.state();
        }
        return new MixerOutput(Reshaping.concat(1, outputs), state);
    }

    private static void assertSame(String what, Tensor output, MixerState state, MixerOutput whole) {
        assertThat(TestTensors.relativeError(output, whole.output())).as("%s output", what)
                .isLessThanOrEqualTo(TOLERANCE);
        assertThat(state.position()).as("%s position", what).isEqualTo(whole.state().position());
        assertThat(state.tensors().keySet()).as("%s state names", what)
                .containsExactlyElementsOf(whole.state().tensors().keySet());
        for (String name : state.tensors().keySet()) {
            Tensor got = state.tensors().get(name);
            Tensor expected = whole.state().tensors().get(name);
            assertThat(got.shape()).as("%s state %s shape", what, name).containsExactly(expected.shape());
            assertThat(TestTensors.relativeError(got, expected)).as("%s state %s", what, name)
                    .isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
