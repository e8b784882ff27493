package dev.recur.core.scan.lightnet;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;

/**
 * What {@link LightNet} gives back: every step's output, the normalised state after the last step and its log
 * normaliser; a stream's state is the pair {@code (state, logNormalizer)}.
 *
 * @param output        {@code o [B, T, H, V]} (or {@code [B, H, V]} for one step)
 * @param state         {@code [B, H, K, V]}, the normalised state after the last step
 * @param logNormalizer {@code z [B, H, K]}, the log normaliser after the last step
 */
public record LightNetOutput(Tensor output, Tensor state, Tensor logNormalizer) {
    public LightNetOutput {
        if (output == null || state == null || logNormalizer == null) {
            throw new RecurException("lightNet output: an output, a state and a log normaliser are required");
        }
    }
}
