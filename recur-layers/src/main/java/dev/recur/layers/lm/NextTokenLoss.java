package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.ops.CrossEntropy;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * The causal language-modelling loss: the mean cross-entropy of the logits at position t against the id at
 * position t+1, over every stream and every position but the last (transformers' loss with
 * {@code labels = input_ids}).
 */
public final class NextTokenLoss {
    private static final int IGNORE = -100;

    private NextTokenLoss() {}

    /** logits {@code [B, T, V]}, ids {@code [B, T]} -> a one-element loss. */
    public static Tensor of(Tensor logits, IntTensor ids) {
        if (logits.rank() != 3 || ids.rank() != 2 || logits.dim(0) != ids.dim(0) || logits.dim(1) != ids.dim(1)) {
            throw new RecurException("next-token loss: expected logits [B, T, V] and ids [B, T], got logits "
                    + Shapes.format(logits.shape()) + " and ids " + Shapes.format(ids.shape()));
        }
        int b = ids.dim(0);
        int t = ids.dim(1);
        int[] targets = new int[b * t];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                targets[i * t + j] = j + 1 < t ? ids.data()[i * t + j + 1] : IGNORE;
            }
        }
        return CrossEntropy.crossEntropy(logits, IntTensor.of(targets, b, t), IGNORE);
    }
}
