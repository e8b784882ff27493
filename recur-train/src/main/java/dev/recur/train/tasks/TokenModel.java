package dev.recur.train.tasks;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import dev.recur.train.Parameters;

/**
 * A model that maps token ids {@code [B, T]} to per-position logits {@code [B, T, C]} ({@code [B, T, heads * C]}
 * for a multi-head task, split by {@link TokenTaskTraining#logits}).
 */
public interface TokenModel {
    /** Logits {@code [B, T, C]}. */
    Tensor forward(IntTensor ids);

    /** Every trainable tensor, by name. */
    Parameters parameters();

    /**
     * The training loss on {@code batch}: the answer positions' cross-entropy ({@link AnswerLoss}), plus
     * whatever regulariser the model adds to it.
     */
    default Tensor loss(TokenBatch batch) {
        return AnswerLoss.of(TokenTaskTraining.logits(this, batch), batch);
    }
}
