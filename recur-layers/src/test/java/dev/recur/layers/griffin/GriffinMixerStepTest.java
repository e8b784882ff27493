package dev.recur.layers.griffin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import dev.recur.layers.stack.LayerSpec;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stack kind {@code griffin} keeps the streaming contract (DESIGN.md invariant 2): its step loop, the state
 * passed through bytes each token, equals its forward; a forward split in two at any point with the state passed
 * across equals the forward in one piece (the RG-LRU resets only at position 0, so the second piece must not);
 * and stacks of it, alone and with Griffin's local attention, stream as every stack does.
 */
class GriffinMixerStepTest {
    private static final double TOLERANCE = 1e-4;
    private static final int WIDTH = 16;
    private static final int STEPS = 9;

    private static Mixer mixer() {
        BlockSpec block = LayerSpec.parse("griffin(heads=4,conv=3)").get(0);
        return block.create(WIDTH, 0.5f, Params.drawn(new Rng(2)));
    }

    @Test
    void stepLoopEqualsForward() {
        Mixer mixer = mixer();
        Tensor x = Tensor.randn(new Rng(9), 1f, 2, STEPS, WIDTH);
        MixerOutput whole = mixer.forward(x, null);
        MixerState state = mixer.initialState(2);
        float[] stepped = new float[x.size()];
        for (int t = 0; t < STEPS; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), 2, WIDTH);
            MixerOutput out = mixer.step(xt, MixerState.fromBytes(state.toBytes()));
            for (int b = 0; b < 2; b++) {
                System.arraycopy(out.output().data(), b * WIDTH, stepped, (b * STEPS + t) * WIDTH, WIDTH);
            }
            state = out.state();
        }
        assertThat(TestTensors.relativeError(stepped, whole.output().data())).isLessThanOrEqualTo(TOLERANCE);
        assertSameState(state, whole.state());
    }

    @ParameterizedTest(name = "cut at {0}")
    @ValueSource(ints = {1, 4, 8})
    void forwardSplitInTwoEqualsWhole(int cut) {
        Mixer mixer = mixer();
        Tensor x = Tensor.randn(new Rng(10), 1f, 2, STEPS, WIDTH);
        MixerOutput whole = mixer.forward(x, null);
        MixerOutput first = mixer.forward(Reshaping.slice(x, 1, 0, cut), null);
        MixerOutput second = mixer.forward(Reshaping.slice(x, 1, cut, STEPS), first.state());
        Tensor joined = Reshaping.concat(1, first.output(), second.output());
        assertThat(TestTensors.relativeError(joined, whole.output())).isLessThanOrEqualTo(TOLERANCE);
        assertSameState(second.state(), whole.state());
    }

    @Test
    void firstTokenStartsAfreshWhateverTheIncomingState() {
        Mixer mixer = mixer();
        Tensor x = Tensor.randn(new Rng(11), 1f, 1, 3, WIDTH);
        MixerState zero = mixer.initialState(1);
        MixerState noisy = new MixerState(java.util.Map.of("conv", zero.tensors().get("conv"),
                "rg_lru", Tensor.randn(new Rng(12), 1f, 1, WIDTH)), 0);
        float[] fresh = mixer.forward(x, zero).output().data();
        float[] reset = mixer.forward(x, noisy).output().data();
        assertThat(reset).containsExactly(fresh);
        MixerState later = new MixerState(noisy.tensors(), 5);
        assertThat(mixer.forward(x, later).output().data()).isNotEqualTo(fresh);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"griffin*2", "(griffin(heads=2)*2+attn(window=6))*2"})
    void stacksStreamAsOneForward(String spec) {
        StackLm model = StackLm.create(StackConfig.of(spec, 19, 32, 48), new Rng(7));
        CausalLmParity parity = new CausalLmParity(spec, model, TOLERANCE);
        IntTensor ids = TestTensors.ids(3, 19, 2, 37);
        parity.chunkedPrefill(ids, new int[] {5, 20}, new int[] {1, 2, 17, 36});
        parity.tokenByToken(ids);
        parity.prefillThenTokens(ids, 11, 29);
        parity.eachRowAlone(ids);
        parity.stateBytesRoundTrip(ids, 13);
        parity.gradientsThroughChunks(StackLm.create(StackConfig.of(spec, 19, 32, 48), new Rng(7)), ids, 21);
    }

    private static void assertSameState(MixerState actual, MixerState expected) {
        assertThat(actual.position()).isEqualTo(expected.position());
        assertThat(actual.tensors().keySet()).containsExactly("conv", "rg_lru");
        for (String name : expected.tensors().keySet()) {
            assertThat(TestTensors.relativeError(actual.tensors().get(name), expected.tensors().get(name)))
                    .as("state %s", name).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
