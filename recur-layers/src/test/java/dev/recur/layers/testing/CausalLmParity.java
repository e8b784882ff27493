package dev.recur.layers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Streaming parity checks shared by the causal-LM families: the forward over a whole sequence is the reference,
 * and every recurrent path (prefill split at given points with the state passed across, token by token, prefill
 * then tokens, each batch row alone, a state that went through its byte form, gradients through two chunks) must
 * reproduce its logits and state within a relative tolerance (max abs difference over max abs reference).
 * Failure messages name the family and the check.
 */
public final class CausalLmParity {
    private final String family;
    private final CausalLm model;
    private final double tolerance;

    public CausalLmParity(String family, CausalLm model, double tolerance) {
        this.family = family;
        this.model = model;
        this.tolerance = tolerance;
    }

    /**
     * For each set of cut points, a prefill of ids {@code [B, T]} in pieces ending at those cuts (and at T) gives
     * the logits and the final state (names, shapes, position, values) of one forward; returns that forward.
     */
    public LmOutput chunkedPrefill(IntTensor ids, int[]... cutSets) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            for (int[] cuts : cutSets) {
                assertSameAsWhole("chunked prefill at " + Arrays.toString(cuts), runInPieces(ids, cuts), whole);
            }
            return whole;
        }
    }

    /** A loop of one-token forwards gives the logits and final state of one forward; returns that forward. */
    public LmOutput tokenByToken(IntTensor ids) {
        return chunkedPrefillThenTokens("token by token", ids);
    }

    /**
     * A prefill in chunks ending at {@code chunkEnds}, then one token at a time to the end, gives the logits and
     * final state of one forward; returns that forward.
     */
    public LmOutput prefillThenTokens(IntTensor ids, int... chunkEnds) {
        return chunkedPrefillThenTokens("prefill to " + Arrays.toString(chunkEnds) + " then tokens", ids,
                chunkEnds);
    }

    /** Each row of the batch run alone gives that row's logits of the batched forward. */
    public void eachRowAlone(IntTensor ids) {
        int batch = ids.dim(0);
        int steps = ids.dim(1);
        int vocab = model.vocabSize();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput batched = model.forward(ids, null);
            for (int b = 0; b < batch; b++) {
                int[] row = Arrays.copyOfRange(ids.data(), b * steps, (b + 1) * steps);
                LmOutput alone = model.forward(IntTensor.of(row, 1, steps), null);
                float[] expected = Arrays.copyOfRange(batched.logits().data(), b * steps * vocab,
                        (b + 1) * steps * vocab);
                assertThat(TestTensors.relativeError(alone.logits().data(), expected))
                        .as("%s, row %d alone: logits", family, b).isLessThanOrEqualTo(tolerance);
            }
        }
    }

    /**
     * The state after {@code cut} tokens, written to bytes and read back, keeps its position and tensor names and
     * continues bit for bit like the original state; prefix and continuation together match one forward.
     */
    public void stateBytesRoundTrip(IntTensor ids, int cut) {
        int steps = ids.dim(1);
        String check = family + ", state bytes round trip at " + cut;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            LmOutput prefix = model.forward(columns(ids, 0, cut), null);
            LmState restored = LmState.fromBytes(prefix.state().toBytes());
            assertThat(restored.position()).as("%s: position", check).isEqualTo(cut);
            assertThat(restored.tensors().keySet()).as("%s: state tensors", check)
                    .containsExactlyElementsOf(prefix.state().tensors().keySet());
            LmOutput resumed = model.forward(columns(ids, cut, steps), restored);
            LmOutput direct = model.forward(columns(ids, cut, steps), prefix.state());
            assertThat(resumed.logits().data()).as("%s: resumed vs direct logits", check)
                    .containsExactly(direct.logits().data());
            assertThat(TestTensors.relativeError(concat(List.of(prefix.logits(), resumed.logits())), whole.logits()))
                    .as("%s: logits vs one forward", check).isLessThanOrEqualTo(tolerance);
        }
    }

    /**
     * The next-token loss over ids run as two chunks split at {@code cut} (on {@code copy}, a model with the same
     * parameters and no gradients yet) gives every parameter the gradient that one forward gives this model.
     */
    public void gradientsThroughChunks(CausalLm copy, IntTensor ids, int cut) {
        String check = family + ", gradients through chunks split at " + cut;
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        LmOutput first = copy.forward(columns(ids, 0, cut), null);
        LmOutput second = copy.forward(columns(ids, cut, ids.dim(1)), first.state());
        NextTokenLoss.of(concat(List.of(first.logits(), second.logits())), ids).backward();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            Tensor expected = e.getValue().grad();
            assertThat(expected).as("%s: gradient of %s", check, e.getKey()).isNotNull();
            Tensor actual = copy.parameters().get(e.getKey()).grad();
            assertThat(actual).as("%s: chunked gradient of %s", check, e.getKey()).isNotNull();
            assertThat(TestTensors.relativeError(actual, expected)).as("%s: %s", check, e.getKey())
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    /** Columns {@code [from, to)} of ids {@code [B, T]}. */
    public static IntTensor columns(IntTensor ids, int from, int to) {
        int batch = ids.dim(0);
        int steps = ids.dim(1);
        int[] out = new int[batch * (to - from)];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids.data(), b * steps + from, out, b * (to - from), to - from);
        }
        return IntTensor.of(out, batch, to - from);
    }

    private LmOutput chunkedPrefillThenTokens(String check, IntTensor ids, int... chunkEnds) {
        int steps = ids.dim(1);
        int last = chunkEnds.length == 0 ? 0 : chunkEnds[chunkEnds.length - 1];
        int[] cuts = Arrays.copyOf(chunkEnds, chunkEnds.length + Math.max(0, steps - 1 - last));
        for (int i = chunkEnds.length; i < cuts.length; i++) {
            cuts[i] = last + 1 + i - chunkEnds.length;
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            LmOutput whole = model.forward(ids, null);
            assertSameAsWhole(check, runInPieces(ids, cuts), whole);
            return whole;
        }
    }

    private LmOutput runInPieces(IntTensor ids, int[] cuts) {
        List<Tensor> pieces = new ArrayList<>();
        LmState state = null;
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : ids.dim(1);
            LmOutput part = model.forward(columns(ids, from, to), state);
            pieces.add(part.logits());
            state = part.state();
            from = to;
        }
        return new LmOutput(concat(pieces), state);
    }

    private void assertSameAsWhole(String check, LmOutput actual, LmOutput whole) {
        String what = family + ", " + check;
        assertThat(TestTensors.relativeError(actual.logits(), whole.logits())).as("%s: logits", what)
                .isLessThanOrEqualTo(tolerance);
        LmState got = actual.state();
        LmState expected = whole.state();
        assertThat(got.position()).as("%s: state position", what).isEqualTo(expected.position());
        assertThat(got.tensors().keySet()).as("%s: state tensors", what)
                .containsExactlyElementsOf(expected.tensors().keySet());
        for (String name : expected.tensors().keySet()) {
            assertThat(got.tensor(name).shape()).as("%s: shape of state %s", what, name)
                    .containsExactly(expected.tensor(name).shape());
            assertThat(TestTensors.relativeError(got.tensor(name), expected.tensor(name))).as("%s: state %s", what, name)
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    private static Tensor concat(List<Tensor> pieces) {
        return Reshaping.concat(1, pieces.toArray(new Tensor[0]));
    }
}
