package dev.recur.core.scan;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;

/**
 * What a recurrence op gives back: every step's output and the state after the last step, which a later call
 * takes as its initial state. Both are nodes of the autograd graph when an input requires gradients.
 *
 * @param output every step's output, shaped as the op documents ({@code [B, T, ...]}, or {@code [B, ...]} for a
 *               single step)
 * @param state  the state after the last step
 */
public record ScanOutput(Tensor output, Tensor state) {
    public ScanOutput {
        if (output == null || state == null) {
            throw new RecurException("scan output: an output and a final state are required");
        }
    }

    /** The pair {@code {output, state}} an op's kernel produced, as a record. */
    public static ScanOutput of(Tensor[] outputAndState) {
        if (outputAndState.length != 2) {
            throw new IllegalStateException("scan output: expected {output, state}, got " + outputAndState.length
                    + " tensors");
        }
        return new ScanOutput(outputAndState[0], outputAndState[1]);
    }
}
