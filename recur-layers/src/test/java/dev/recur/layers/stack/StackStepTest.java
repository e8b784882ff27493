package dev.recur.layers.stack;

import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.Mixer;
import dev.recur.layers.block.MixerOutput;
import dev.recur.layers.block.MixerState;
import dev.recur.layers.block.Params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every block kind keeps the stack's streaming contract (DESIGN.md invariant 2): a two-block stack of that kind
 * (with its MLP) run over a whole sequence is the reference; a prefill split at any points with the state passed
 * along, a token-by-token loop, a prefill followed by tokens, each batch row alone and a state that went through
 * its bytes give the same logits and final state; gradients through two chunks equal those of one forward.
 * Options make chunk boundaries fall inside the sequence (RAT chunks of 4, SSD chunks of 8, an attention window
 * of 6).
 */
class StackStepTest {
    private static final double TOLERANCE = 1e-4;

    private static StackLm model(String spec, long seed) {
        return StackLm.create(StackConfig.of(spec, 19, 32, 48), new Rng(seed));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attn*2", "attn(window=6)*2", "mamba*2", "mamba2(chunk=8)*2", "gdn*2", "deltanet*2",
        "gla*2", "hgrn2*2", "linear*2", "gla(conv=0)+deltanet(conv=0)", "rat(chunk=4)*2", "lstm*2", "gru*2",
        "(mamba2(chunk=8)*2+attn)*2", "elman*2", "s4d(state=8)*2", "rhn*2", "qlstm*2", "leaky*2", "rwkv*2",
        "lightnet*2", "lightnet(conv=0)+s4d"})
    void streamingEqualsOneForward(String spec) {
        StackLm model = model(spec, 7);
        CausalLmParity parity = new CausalLmParity(spec, model, TOLERANCE);
        IntTensor ids = TestTensors.ids(3, 19, 2, 37);
        parity.chunkedPrefill(ids, new int[] {5, 20}, new int[] {1, 2, 17, 36}, new int[] {8, 16, 24, 32});
        parity.tokenByToken(ids);
        parity.prefillThenTokens(ids, 11, 29);
        parity.eachRowAlone(ids);
        parity.stateBytesRoundTrip(ids, 13);
        parity.gradientsThroughChunks(model(spec, 7), ids, 21);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attn(window=64)", "mamba", "mamba2", "gdn", "deltanet", "gla", "hgrn2", "linear",
        "rat", "lstm", "gru", "elman", "s4d", "rhn", "qlstm", "leaky", "rwkv", "lightnet"})
    @Tag("slow")
    void tokenByTokenEqualsOneForwardAtLength4096(String spec) {
        StackLm model = StackLm.create(StackConfig.of(spec, 19, 16, 0), new Rng(5));
        CausalLmParity parity = new CausalLmParity(spec, model, TOLERANCE);
        IntTensor ids = TestTensors.ids(4, 19, 1, 4096);
        parity.chunkedPrefill(ids, new int[] {1000, 2049, 4000});
        parity.prefillThenTokens(ids, 1500);
        assertThat(parity.tokenByToken(ids).state().position()).isEqualTo(4096);
    }

    /** A mixer's {@code step} loop, its state passed through bytes each token, equals its forward. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"attn", "mamba", "gdn", "rat(chunk=3)", "lstm", "elman", "s4d", "rhn", "qlstm", "leaky",
        "rwkv", "lightnet"})
    void mixerStepEqualsForwardAndStateBytesRoundTrip(String spec) {
        BlockSpec block = LayerSpec.parse(spec).get(0);
        Mixer mixer = block.create(16, 0.5f, Params.drawn(new Rng(2)));
        Tensor x = Tensor.randn(new Rng(9), 1f, 2, 9, 16);
        MixerOutput whole = mixer.forward(x, null);
        MixerState state = mixer.initialState(2);
        float[] stepped = new float[x.size()];
        for (int t = 0; t < 9; t++) {
            Tensor xt = Reshaping.reshape(Reshaping.slice(x, 1, t, t + 1), 2, 16);
            MixerOutput out = mixer.step(xt, MixerState.fromBytes(state.toBytes()));
            for (int b = 0; b < 2; b++) {
                System.arraycopy(out.output().data(), b * 16, stepped, (b * 9 + t) * 16, 16);
            }
            state = out.state();
        }
        assertThat(TestTensors.relativeError(stepped, whole.output().data())).as(spec).isLessThanOrEqualTo(TOLERANCE);
        assertThat(state.position()).isEqualTo(9);
        assertThat(state.tensors().keySet()).containsExactlyElementsOf(whole.state().tensors().keySet());
        for (String name : state.tensors().keySet()) {
            assertThat(TestTensors.relativeError(state.tensors().get(name), whole.state().tensors().get(name)))
                    .as("%s state %s", spec, name).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
