package dev.recur.layers.block;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * What every mixer adapter is built with: its spec, the stack's width and the scale of its output projection's
 * initial weights (GPT-2's {@code 1 / sqrt(2 * blocks)}, so that the residual stream does not grow with depth).
 *
 * @param spec     the block's spec
 * @param dModel   the residual stream's width
 * @param outScale factor on the output projection's initial bound
 */
public record MixerShape(BlockSpec spec, int dModel, float outScale) {
    public MixerShape {
        if (dModel < 1) {
            throw new RecurException("stack block '" + spec + "': d_model must be >= 1, got " + dModel);
        }
    }

    /** The heads option, defaulting to one head per 32 channels; {@code dModel} must split evenly. */
    public int heads() {
        int heads = spec.option("heads", Math.max(1, dModel / 32));
        if (heads < 1 || dModel % heads != 0) {
            throw new RecurException("stack block '" + spec + "': heads must divide d_model " + dModel + ", got "
                    + heads);
        }
        return heads;
    }

    /** The short convolution's width option ({@code conv}), 4 unless given; 0 turns it off where allowed. */
    public int conv(boolean zeroAllowed) {
        int conv = spec.option("conv", 4);
        if (conv < (zeroAllowed ? 0 : 1)) {
            throw new RecurException("stack block '" + spec + "': conv must be >= " + (zeroAllowed ? 0 : 1)
                    + ", got " + conv);
        }
        return conv;
    }

    /** A positive option with a default. */
    public int positive(String option, int fallback) {
        int v = spec.option(option, fallback);
        if (v < 1) {
            throw new RecurException("stack block '" + spec + "': " + option + " must be >= 1, got " + v);
        }
        return v;
    }

    /** Checks a mixer's input {@code x [B, T, dModel]} with B, T >= 1. */
    public void requireInput(Tensor x) {
        if (x == null || x.rank() != 3 || x.dim(0) < 1 || x.dim(1) < 1 || x.dim(2) != dModel) {
            throw new RecurException("stack block '" + spec + "': expected x [batch, seqLen, " + dModel
                    + "] with batch, seqLen >= 1, got " + (x == null ? "null" : Shapes.format(x.shape())));
        }
    }

    /** Checks the batch argument of {@code initialState}. */
    public void requireBatch(int batch) {
        if (batch < 1) {
            throw new RecurException("stack block '" + spec + "': batch must be >= 1, got " + batch);
        }
    }

    /** The state tensor {@code name}, required to have {@code shape}. */
    public Tensor stateTensor(MixerState state, String name, int... shape) {
        Tensor t = state.tensor("stack block '" + spec + "'", name);
        Shapes.require("stack block '" + spec + "' state", "'" + name + "'", shape, t.shape());
        return t;
    }
}
