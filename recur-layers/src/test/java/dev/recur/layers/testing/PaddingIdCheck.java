package dev.recur.layers.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.NextTokenLoss;
import java.util.Arrays;

/**
 * Checks transformers' {@code nn.Embedding(padding_idx=pad_token_id)} on a model: beside a copy of it without a pad
 * id (same weights), the logits are the same bits, the pad row of the embedding gets no gradient from lookups
 * (with an untied head, none at all) while the copy's does, and every other row's gradient is the same bits.
 */
public final class PaddingIdCheck {
    private PaddingIdCheck() {}

    /**
     * @param padded    the model whose config names {@code pad} as {@code pad_token_id}, untied head
     * @param plain     the same weights without a pad id
     * @param embedding the embedding's parameter name
     * @param ids       ids with {@code pad} among them
     */
    public static void check(CausalLm padded, CausalLm plain, String embedding, int pad, IntTensor ids) {
        assertThat(Arrays.stream(ids.data()).filter(i -> i == pad).count()).as("pad ids in the input").isPositive();
        NextTokenLoss.of(padded.forward(ids, null).logits(), ids).backward();
        Tensor plainLogits = plain.forward(ids, null).logits();
        NextTokenLoss.of(plainLogits, ids).backward();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertThat(padded.forward(ids, null).logits().data()).containsExactly(plainLogits.data());
        }
        Tensor weight = padded.parameters().get(embedding);
        int d = weight.dim(1);
        float[] withPad = weight.grad().data();
        float[] without = plain.parameters().get(embedding).grad().data();
        boolean plainRowMoves = false;
        for (int j = 0; j < d; j++) {
            assertThat(withPad[pad * d + j]).as("pad row %d, column %d", pad, j).isZero();
            plainRowMoves |= without[pad * d + j] != 0f;
        }
        assertThat(plainRowMoves).as("without a pad id, row %d gets its lookups' gradient", pad).isTrue();
        for (int i = 0; i < withPad.length; i++) {
            if (i / d != pad) {
                assertThat(withPad[i]).as("row %d, column %d", i / d, i % d).isEqualTo(without[i]);
            }
        }
    }
}
