package dev.recur.train.loop;

import dev.recur.core.tensor.Tensor;
import dev.recur.train.Parameters;
import dev.recur.train.checkpoint.TrainerState;
import java.util.Map;

/**
 * What one kind of run does at each step of the {@link TrainingLoop}: a language model's next batch of text, a
 * token task's batch, a forecaster's windows. Training batch {@code k} must be a pure function of the run's data,
 * seed and {@code k} (plus the state this work carries, which a checkpoint saves), so that a resumed run continues
 * with the same bits as one that never stopped.
 */
public interface StepWork {
    /** The trainable parameters, in a fixed order. */
    Parameters parameters();

    /** The loss on training batch {@code index} (0-based: step {@code index + 1}), recorded for backward. */
    Tensor loss(long index);

    /** After the optimiser's update of each step (a language model carries its detached state on). */
    default void afterStep() {}

    /** Units (tokens, or window samples) in one training batch, for the throughput figure. */
    long unitsPerStep();

    /** Held-out scores, logged as metrics extras. */
    Map<String, Double> evaluate();

    /** The line shown after an evaluation. */
    String describe(long step, double loss, Map<String, Double> scores);

    /** Whether these scores end the run early (a task solved). */
    default boolean reached(Map<String, Double> scores) {
        return false;
    }

    /** Tensors a checkpoint must carry besides parameters and optimiser state (a carried stream state). */
    default Map<String, Tensor> carriedTensors() {
        return Map.of();
    }

    /** Numbers a checkpoint must carry besides the loop's own. */
    default Map<String, Double> carriedScalars() {
        return Map.of();
    }

    /** The data iterator's position after {@code steps} steps. */
    default long dataPosition(long steps) {
        return steps;
    }

    /** The seeds of the work's random choices, by purpose, checked when a run resumes. */
    default Map<String, Long> seeds() {
        return Map.of();
    }

    /** Restores what {@link #carriedTensors}, {@link #carriedScalars} and {@link #dataPosition} saved. */
    default void restore(Map<String, Tensor> carried, TrainerState trainer, String where) {}
}
