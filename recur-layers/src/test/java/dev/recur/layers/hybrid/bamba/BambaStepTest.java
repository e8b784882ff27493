package dev.recur.layers.hybrid.bamba;

import static dev.recur.layers.hybrid.bamba.BambaTestModels.concat;
import static dev.recur.layers.hybrid.bamba.BambaTestModels.relativeError;
import static dev.recur.layers.hybrid.bamba.BambaTestModels.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The recurrent paths agree with the whole-sequence forward: chunked prefill with the Mamba-2 states and the
 * growing key/value caches passed across (split points inside and on the scan's chunk boundaries and inside the
 * convolution's window), a token-by-token loop, each batch row alone, and a state that went through its byte
 * form mid-sequence; gradients through chunks equal those of one forward.
 */
class BambaStepTest {
    private static final BambaConfig CONFIG = BambaTestModels.small();
    private final BambaModel model = BambaTestModels.random(CONFIG, 5);

    @Test
    void chunkedPrefillEqualsOneForward() {
        IntTensor ids = BambaTestModels.ids(1, CONFIG.vocabSize(), 2, 37);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            for (int[] cuts : new int[][] {{1}, {2, 3}, {5, 17}, {36}, {1, 2, 3, 20, 30}, {6, 9, 12}}) {
                LmState state = null;
                List<Tensor> pieces = new ArrayList<>();
                int start = 0;
                for (int end : append(cuts, 37)) {
                    LmOutput part = model.forward(slice(ids, start, end), state);
                    pieces.add(part.logits());
                    state = part.state();
                    start = end;
                }
                assertThat(relativeError(concat(pieces), whole.logits())).as("cuts %s", Arrays.toString(cuts))
                        .isLessThanOrEqualTo(1e-4);
                assertSameState(state, whole.state());
            }
        }
    }

    @Test
    void tokenLoopEqualsOneForward() {
        IntTensor ids = BambaTestModels.ids(2, CONFIG.vocabSize(), 2, 130);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput loop = tokenLoop(ids);
            assertThat(relativeError(loop.logits(), whole.logits())).isLessThanOrEqualTo(1e-4);
            assertSameState(loop.state(), whole.state());
            assertThat(whole.state().tensor(BambaState.keys(1)).shape()).containsExactly(2, 2, 130, 4);
        }
    }

    @Test
    void eachBatchRowAloneGivesTheSameLogits() {
        IntTensor ids = BambaTestModels.ids(4, CONFIG.vocabSize(), 3, 19);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput batched = model.forward(ids, null);
            int v = CONFIG.vocabSize();
            for (int b = 0; b < 3; b++) {
                int[] row = Arrays.copyOfRange(ids.data(), b * 19, (b + 1) * 19);
                LmOutput alone = model.forward(IntTensor.of(row, 1, 19), null);
                float[] expected = Arrays.copyOfRange(batched.logits().data(), b * 19 * v, (b + 1) * 19 * v);
                assertThat(relativeError(alone.logits().data(), expected)).as("row %d", b).isLessThanOrEqualTo(1e-4);
            }
        }
    }

    @Test
    void stateBytesRoundTripContinuesTheSame() {
        IntTensor ids = BambaTestModels.ids(5, CONFIG.vocabSize(), 2, 24);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput prefix = model.forward(slice(ids, 0, 11), null);
            LmState restored = LmState.fromBytes(prefix.state().toBytes());
            assertThat(restored.position()).isEqualTo(11);
            assertThat(restored.tensors().keySet()).containsExactlyElementsOf(prefix.state().tensors().keySet());
            LmOutput rest = model.forward(slice(ids, 11, 24), restored);
            LmOutput direct = model.forward(slice(ids, 11, 24), prefix.state());
            assertThat(rest.logits().data()).containsExactly(direct.logits().data());
            assertThat(relativeError(concat(List.of(prefix.logits(), rest.logits())), whole.logits()))
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void gradientsThroughChunksEqualOneForward() {
        IntTensor ids = BambaTestModels.ids(6, CONFIG.vocabSize(), 2, 16);
        BambaModel chunked = BambaTestModels.copy(CONFIG, model.parameters());
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        LmOutput first = chunked.forward(slice(ids, 0, 7), null);
        LmOutput second = chunked.forward(slice(ids, 7, 16), first.state());
        NextTokenLoss.of(concat(List.of(first.logits(), second.logits())), ids).backward();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            Tensor expected = e.getValue().grad();
            Tensor actual = chunked.parameters().get(e.getKey()).grad();
            assertThat(expected).as("gradient of %s", e.getKey()).isNotNull();
            assertThat(relativeError(actual, expected)).as(e.getKey()).isLessThanOrEqualTo(1e-4);
        }
    }

    private LmOutput tokenLoop(IntTensor ids) {
        LmState state = null;
        List<Tensor> steps = new ArrayList<>();
        for (int t = 0; t < ids.dim(1); t++) {
            LmOutput out = model.forward(slice(ids, t, t + 1), state);
            steps.add(out.logits());
            state = out.state();
        }
        return new LmOutput(concat(steps), state);
    }

    private static void assertSameState(LmState actual, LmState expected) {
        assertThat(actual.position()).isEqualTo(expected.position());
        assertThat(actual.tensors().keySet()).containsExactlyElementsOf(expected.tensors().keySet());
        for (String name : expected.tensors().keySet()) {
            assertThat(actual.tensor(name).shape()).as(name).containsExactly(expected.tensor(name).shape());
            assertThat(relativeError(actual.tensor(name), expected.tensor(name))).as(name).isLessThanOrEqualTo(1e-4);
        }
    }

    private static int[] append(int[] a, int last) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
