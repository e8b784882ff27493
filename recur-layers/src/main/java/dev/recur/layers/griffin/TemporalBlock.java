package dev.recur.layers.griffin;

import dev.recur.core.tensor.Tensor;
import java.util.Map;

/** A layer's sequence-mixing block: the recurrent block or local attention, each with its own state entries. */
interface TemporalBlock {
    /**
     * Mixes {@code x [B, T, H]} (the chunk starting at position {@code start}), reading this block's entries of
     * {@code state} and putting the new ones in {@code next}.
     */
    Tensor forward(Tensor x, Map<String, Tensor> state, Map<String, Tensor> next, long start);
}
