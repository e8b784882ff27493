package dev.recur.train.optim;

import dev.recur.core.tensor.Tensor;
import dev.recur.train.Parameters;
import java.util.Map;

/**
 * Updates parameters in place from their accumulated gradients.
 *
 * <p>A training step is: {@link #zeroGrad()}, forward, {@code loss.backward()}, optionally clip, {@link
 * #setLearningRate(double)} from a schedule, {@link #step()}. Parameters that received no gradient since the
 * last {@code zeroGrad} are skipped by {@code step} and their state does not advance, as in PyTorch.
 *
 * <p>The state ({@link #exportState()}) is a map of named float tensors, so a checkpoint can store it beside
 * the parameters as safetensors; {@link #importState(Map)} followed by more steps gives the same bits as never
 * having stopped.
 */
public interface Optimizer {
    /** Applies one update to every parameter that has a gradient. */
    void step();

    /** Forgets all parameters' accumulated gradients. */
    void zeroGrad();

    /** The parameters this optimiser updates. */
    Parameters parameters();

    /** The learning rate the next {@link #step()} uses. */
    double learningRate();

    /** Sets the learning rate for the following steps; it must be finite and non-negative. */
    void setLearningRate(double learningRate);

    /**
     * A copy of the optimiser state as named tensors ({@code <optimiser>.<slot>.<parameter>}); later steps do
     * not change the returned tensors.
     */
    Map<String, Tensor> exportState();

    /**
     * Replaces the state with a copy of {@code state} as {@link #exportState()} wrote it. Parameters without
     * entries start fresh. Unknown names, wrong shapes and incomplete entries are rejected, and nothing is
     * changed then.
     */
    void importState(Map<String, Tensor> state);
}
