package dev.recur.layers.depth;

import dev.recur.core.RecurException;

/**
 * The shape of a {@link UniversalTransformer}.
 *
 * @param width        model width {@code D} (even: the coordinate signal pairs sines and cosines)
 * @param heads        attention heads; {@code width} must be a multiple
 * @param mlpSize      hidden size of the block's MLP
 * @param maxSteps     most applications of the shared block per position (Graves' {@code N_max})
 * @param epsilon      a position halts once its cumulative halting probability reaches {@code 1 - epsilon}
 *                     (in {@code (0, 1)})
 * @param haltBiasInit the halting unit's initial bias; positive values start with few steps
 */
public record UniversalTransformerConfig(int width, int heads, int mlpSize, int maxSteps, double epsilon,
                                         float haltBiasInit) {
    public UniversalTransformerConfig {
        if (width <= 0 || width % 2 != 0) {
            throw new RecurException("universal transformer config: width must be even and > 0, got " + width);
        }
        if (heads <= 0 || width % heads != 0 || width / heads % 2 != 0) {
            throw new RecurException("universal transformer config: heads must divide width " + width
                    + " into even head sizes (rotary pairs), got " + heads);
        }
        if (mlpSize <= 0) {
            throw new RecurException("universal transformer config: mlpSize must be > 0, got " + mlpSize);
        }
        if (maxSteps <= 0) {
            throw new RecurException("universal transformer config: maxSteps must be > 0, got " + maxSteps);
        }
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new RecurException("universal transformer config: epsilon must be in (0, 1), got " + epsilon);
        }
        if (!Float.isFinite(haltBiasInit)) {
            throw new RecurException("universal transformer config: haltBiasInit must be finite, got "
                    + haltBiasInit);
        }
    }

    /** Width 4x for the MLP, epsilon 0.01, halting bias 1 (the paper's settings). */
    public static UniversalTransformerConfig of(int width, int heads, int maxSteps) {
        return new UniversalTransformerConfig(width, heads, 4 * width, maxSteps, 0.01, 1f);
    }

    public int headDim() {
        return width / heads;
    }
}
