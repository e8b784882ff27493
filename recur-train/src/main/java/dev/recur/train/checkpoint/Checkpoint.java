package dev.recur.train.checkpoint;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a checkpoint holds: the model's parameters and the optimiser's state as named float tensors (as {@code
 * Parameters} and {@code Optimizer.exportState()} give them), and the trainer's state.
 */
public record Checkpoint(Map<String, Tensor> model, Map<String, Tensor> optimizer, TrainerState trainer) {
    public Checkpoint {
        model = copy("model", model);
        optimizer = copy("optimizer", optimizer);
        if (trainer == null) {
            throw new RecurException("Checkpoint: expected a trainer state, got null");
        }
    }

    /** The optimiser step this checkpoint was taken at. */
    public long step() {
        return trainer.step();
    }

    private static Map<String, Tensor> copy(String what, Map<String, Tensor> tensors) {
        if (tensors == null) {
            throw new RecurException("Checkpoint: expected " + what + " tensors, got null");
        }
        tensors.forEach((name, t) -> {
            if (t == null) {
                throw new RecurException("Checkpoint: " + what + " tensor '" + name + "' is null");
            }
        });
        return Collections.unmodifiableMap(new TreeMap<>(tensors));
    }
}
