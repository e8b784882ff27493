package dev.recur.train.tasks;

import dev.recur.core.RecurException;

/**
 * What a {@link TokenModel} is built for: the task's vocabulary and output classes (per head), the number of
 * output heads, and the run's size options.
 *
 * @param vocab input ids are in {@code [0, vocab)}
 * @param classes classes per output head
 * @param heads output heads (1, or one per target of a multi-head task); the model emits {@code heads * classes}
 *     logits per position
 * @param width the model's hidden size
 * @param layers stacked blocks, for models that stack
 * @param attentionHeads attention heads, for models with attention ({@code width} must split evenly into them)
 */
public record TokenModelSpec(int vocab, int classes, int heads, int width, int layers, int attentionHeads) {
    public TokenModelSpec {
        if (vocab <= 0 || classes <= 0 || heads <= 0 || width <= 0 || layers <= 0 || attentionHeads <= 0) {
            throw new RecurException("TokenModelSpec: expected positive vocab, classes, heads, width, layers and "
                    + "attention heads, got " + vocab + ", " + classes + ", " + heads + ", " + width + ", " + layers
                    + ", " + attentionHeads);
        }
    }

    /** Logits per position: {@code heads * classes}. */
    public int outputs() {
        return Math.multiplyExact(heads, classes);
    }
}
