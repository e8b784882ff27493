package dev.recur.layers.attention;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Rotary position embeddings in the "rotate half" layout of transformers (GPT-NeoX, Llama, Gemma): of a head's
 * first {@code r} dimensions, dimension {@code i < r/2} pairs with {@code i + r/2} (not with its neighbour), and
 * the pair turns by the angle {@code p * theta^(-2i/r)} at position {@code p}:
 * {@code y_i = x_i cos - x_{i+r/2} sin}, {@code y_{i+r/2} = x_{i+r/2} cos + x_i sin}. Dimensions from
 * {@code r} on pass through (partial rotary). Built from autograd ops, so gradients need no rule of their own.
 *
 * <p>Numerics follow transformers: the inverse frequencies, their products with the position and the cosines
 * are float32 values.
 */
public final class RotaryEmbedding {
    private RotaryEmbedding() {}

    /** Rotates {@code x [B, N, T, headDim]} whose token {@code t} sits at position {@code start + t}. */
    public static Tensor apply(Tensor x, int rotaryDims, double theta, long start) {
        Shapes.requireRank("rotary", "x [B, heads, T, headDim]", x, 4);
        int headDim = x.dim(3);
        if (rotaryDims < 0 || rotaryDims > headDim || rotaryDims % 2 != 0) {
            throw new RecurException("rotary: rotaryDims must be even and in [0, " + headDim + "], got " + rotaryDims);
        }
        if (start < 0) {
            throw new RecurException("rotary: start position must be >= 0, got " + start);
        }
        if (rotaryDims == 0) {
            return x;
        }
        int half = rotaryDims / 2;
        int steps = x.dim(2);
        Tensor[] cosSin = table(steps, half, rotaryDims, theta, start); // [T, r/2] each
        Tensor x1 = Reshaping.slice(x, 3, 0, half);
        Tensor x2 = Reshaping.slice(x, 3, half, rotaryDims);
        Tensor y1 = Arithmetic.sub(Arithmetic.mul(x1, cosSin[0]), Arithmetic.mul(x2, cosSin[1]));
        Tensor y2 = Arithmetic.add(Arithmetic.mul(x2, cosSin[0]), Arithmetic.mul(x1, cosSin[1]));
        if (rotaryDims == headDim) {
            return Reshaping.concat(3, y1, y2);
        }
        return Reshaping.concat(3, y1, y2, Reshaping.slice(x, 3, rotaryDims, headDim));
    }

    /** {@code cos} and {@code sin} of the angles, {@code [T, r/2]} each. */
    static Tensor[] table(int steps, int half, int rotaryDims, double theta, long start) {
        float[] inv = inverseFrequencies(half, rotaryDims, theta);
        float[] cos = new float[steps * half];
        float[] sin = new float[steps * half];
        for (int t = 0; t < steps; t++) {
            float p = (float) (start + t);
            for (int i = 0; i < half; i++) {
                float angle = inv[i] * p;
                cos[t * half + i] = (float) Math.cos(angle);
                sin[t * half + i] = (float) Math.sin(angle);
            }
        }
        return new Tensor[] {Tensor.of(cos, steps, half), Tensor.of(sin, steps, half)};
    }

    /** {@code 1 / theta^(2i / r)} for {@code i < r/2}, each step rounded to float32 as transformers computes it. */
    static float[] inverseFrequencies(int half, int rotaryDims, double theta) {
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            float exponent = (float) (2 * i) / (float) rotaryDims;
            inv[i] = 1f / (float) Math.pow(theta, exponent);
        }
        return inv;
    }
}
