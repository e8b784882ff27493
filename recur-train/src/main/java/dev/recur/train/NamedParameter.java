package dev.recur.train;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * A trainable tensor and the name it is saved under (for example {@code layers.0.lstm.weight_ih}).
 *
 * <p>The value must be a leaf that requires a gradient: optimisers read its {@link Tensor#grad()} and write
 * its {@link Tensor#data()} in place. Names may not be blank or contain whitespace, since they become keys in
 * checkpoints and optimiser state.
 */
public record NamedParameter(String name, Tensor value) {
    public NamedParameter {
        if (name == null || name.isEmpty()) {
            throw new RecurException("parameter: expected a non-empty name, got " + (name == null ? "null" : "''"));
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isWhitespace(name.charAt(i))) {
                throw new RecurException("parameter '" + name + "': expected a name without whitespace");
            }
        }
        if (value == null) {
            throw new RecurException("parameter '" + name + "': expected a tensor, got null");
        }
        if (value.op() != null) {
            throw new RecurException("parameter '" + name + "': expected a leaf tensor, got the output of op '"
                    + value.op() + "'");
        }
        if (!value.tracksGrad()) {
            throw new RecurException("parameter '" + name + "': expected a tensor that requires a gradient"
                    + " (call requiresGrad(true)), got shape " + Shapes.format(value.shape()) + " without one");
        }
    }

    /** The accumulated gradient's backing array, or null when no gradient has reached this parameter. */
    public float[] gradData() {
        Tensor g = value.grad();
        return g == null ? null : g.data();
    }
}
