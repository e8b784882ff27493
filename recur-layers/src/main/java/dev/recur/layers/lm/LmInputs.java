package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;

/** Checks shared by every {@link CausalLm#forward}: the ids are {@code [batch, seqLen]} with both at least 1. */
public final class LmInputs {
    private LmInputs() {}

    /** Throws a clear error naming {@code model} unless {@code ids} is a non-empty {@code [batch, seqLen]}. */
    public static void requireIds(String model, IntTensor ids) {
        if (ids == null || ids.rank() != 2 || ids.dim(0) < 1 || ids.dim(1) < 1) {
            throw new RecurException(model + ".forward: expected ids [batch, seqLen] with both >= 1, got "
                    + (ids == null ? "null" : "shape " + Shapes.format(ids.shape())));
        }
    }
}
