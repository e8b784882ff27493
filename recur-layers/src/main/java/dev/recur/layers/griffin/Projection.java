package dev.recur.layers.griffin;

import dev.recur.core.ops.Linear;
import dev.recur.core.tensor.Tensor;

/** A PyTorch {@code nn.Linear} held as a value: weight {@code [out, in]}, bias {@code [out]} or null. */
record Projection(Tensor weight, Tensor bias) {
    Tensor apply(Tensor x) {
        return Linear.apply(x, weight, bias);
    }
}
