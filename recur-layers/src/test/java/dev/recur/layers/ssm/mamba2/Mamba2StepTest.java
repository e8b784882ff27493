package dev.recur.layers.ssm.mamba2;

import static dev.recur.layers.ssm.mamba2.Mamba2TestModels.relativeError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
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
 * The recurrent paths agree with the whole-sequence forward: chunked prefill with the convolution and SSM
 * states passed across (split points inside and on the scan's chunk boundaries, and inside the convolution's
 * window), a token-by-token loop (also at T = 2048), each batch row alone, and a state that went through its
 * byte form mid-sequence; gradients through chunks equal those of one forward.
 */
class Mamba2StepTest {
    private static final Mamba2Config CONFIG = Mamba2TestModels.small(true, 0.0, Double.POSITIVE_INFINITY, false);
    private final Mamba2Model model = Mamba2TestModels.random(CONFIG, 5);

    @Test
    void chunkedPrefillEqualsOneForward() {
        IntTensor ids = Mamba2TestModels.ids(1, CONFIG.vocabSize(), 2, 37);
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
        IntTensor ids = Mamba2TestModels.ids(2, CONFIG.vocabSize(), 2, 50);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput loop = tokenLoop(ids);
            assertThat(relativeError(loop.logits(), whole.logits())).isLessThanOrEqualTo(1e-4);
            assertSameState(loop.state(), whole.state());
        }
    }

    @Test
    void tokenLoopEqualsOneForwardOverLongSequence() {
        IntTensor ids = Mamba2TestModels.ids(3, CONFIG.vocabSize(), 1, 2048);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput loop = tokenLoop(ids);
            assertThat(relativeError(loop.logits(), whole.logits())).isLessThanOrEqualTo(1e-4);
            assertSameState(loop.state(), whole.state());
            assertThat(whole.state().position()).isEqualTo(2048);
        }
    }

    @Test
    void eachBatchRowAloneGivesTheSameLogits() {
        IntTensor ids = Mamba2TestModels.ids(4, CONFIG.vocabSize(), 3, 19);
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
        IntTensor ids = Mamba2TestModels.ids(5, CONFIG.vocabSize(), 2, 24);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput prefix = model.forward(slice(ids, 0, 11), null);
            LmState restored = LmState.fromBytes(prefix.state().toBytes());
            assertThat(restored.position()).isEqualTo(11);
            LmOutput rest = model.forward(slice(ids, 11, 24), restored);
            LmOutput direct = model.forward(slice(ids, 11, 24), prefix.state());
            assertThat(rest.logits().data()).containsExactly(direct.logits().data());
            assertThat(relativeError(concat(List.of(prefix.logits(), rest.logits())), whole.logits()))
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void gradientsThroughChunksEqualOneForward() {
        IntTensor ids = Mamba2TestModels.ids(6, CONFIG.vocabSize(), 2, 16);
        Mamba2Model chunked = Mamba2TestModels.copy(CONFIG, model.parameters());
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        LmOutput first = chunked.forward(slice(ids, 0, 7), null);
        LmOutput second = chunked.forward(slice(ids, 7, 16), first.state());
        Tensor logits = concat(List.of(first.logits(), second.logits()));
        NextTokenLoss.of(logits, ids).backward();
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
            assertThat(relativeError(actual.tensor(name), expected.tensor(name))).as(name).isLessThanOrEqualTo(1e-4);
        }
    }

    static IntTensor slice(IntTensor ids, int start, int end) {
        int batch = ids.dim(0);
        int steps = ids.dim(1);
        int[] out = new int[batch * (end - start)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids.data(), b * steps + start, out, b * (end - start), end - start);
        }
        return IntTensor.of(out, batch, end - start);
    }

    static Tensor concat(List<Tensor> pieces) {
        return Reshaping.concat(1, pieces.toArray(new Tensor[0]));
    }

    private static int[] append(int[] a, int last) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = last;
        return out;
    }
}
