package dev.recur.layers.depth;

import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;

/**
 * What a {@link UniversalTransformer} computed, per position {@code (b, t)}. From
 * {@link UniversalTransformer#step} the time axis is absent: {@code output [B, D]} and the others {@code [B]}.
 *
 * @param output       {@code [B, T, D]}: the states after each application, mixed by the halting weights
 * @param haltingSteps {@code [B, T]}: {@code N}, the applications of the shared block the position used
 * @param remainders   {@code [B, T]}: {@code R = 1 - sum_{n < N} p_n}, the weight of the last state
 * @param ponder       {@code [B, T]}: the ponder cost {@code N + R}; only {@code R} carries a gradient
 * @param ponderCost   scalar: the mean of {@code ponder}, to add to the loss with a weight tau
 */
public record ActResult(Tensor output, IntTensor haltingSteps, Tensor remainders, Tensor ponder,
                        Tensor ponderCost) {
    /** The mean of {@link #haltingSteps} over every position. */
    public double meanSteps() {
        long sum = 0;
        for (int n : haltingSteps.data()) {
            sum += n;
        }
        return (double) sum / haltingSteps.size();
    }

    /** The largest of {@link #haltingSteps}. */
    public int mostSteps() {
        int max = 0;
        for (int n : haltingSteps.data()) {
            max = Math.max(max, n);
        }
        return max;
    }
}
