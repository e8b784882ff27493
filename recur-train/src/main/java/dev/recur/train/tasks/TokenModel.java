package dev.recur.train.tasks;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.train.Parameters;

/** A model that maps token ids {@code [B, T]} to per-position logits {@code [B, T, C]}. */
public interface TokenModel {
    /** Logits {@code [B, T, C]}. */
    Tensor forward(IntTensor ids);

    /** Every trainable tensor, by name. */
    Parameters parameters();
}
