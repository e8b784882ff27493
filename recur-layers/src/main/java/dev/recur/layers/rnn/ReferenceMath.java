package dev.recur.layers.rnn;

/**
 * Scalar building blocks of the reference cells: one matrix-vector product per timestep and batch row, and its
 * transpose for the backward, in plain loops with {@link Math#fma}. Slow and obviously right.
 */
final class ReferenceMath {
    private ReferenceMath() {}

    /** {@code out[r] = bias[r] + sum_k w[r, k] v[vOff + k]} for {@code r < out.length}; bias may be null. */
    static void project(float[] w, int cols, float[] v, int vOff, float[] bias, float[] out) {
        for (int r = 0; r < out.length; r++) {
            float acc = 0f;
            for (int k = 0; k < cols; k++) {
                acc = Math.fma(w[r * cols + k], v[vOff + k], acc);
            }
            out[r] = bias == null ? acc : acc + bias[r];
        }
    }

    /**
     * The backward of {@link #project}: adds {@code dOut v^T} into {@code gradW}, {@code dOut} into
     * {@code gradBias} and {@code w^T dOut} into {@code dv}; each target may be null.
     */
    static void projectBackward(float[] w, int cols, float[] v, int vOff, float[] dOut,
                                float[] gradW, float[] gradBias, float[] dv, int dvOff) {
        for (int r = 0; r < dOut.length; r++) {
            float d = dOut[r];
            if (gradBias != null) {
                gradBias[r] += d;
            }
            for (int k = 0; k < cols; k++) {
                if (gradW != null) {
                    gradW[r * cols + k] = Math.fma(d, v[vOff + k], gradW[r * cols + k]);
                }
                if (dv != null) {
                    dv[dvOff + k] = Math.fma(d, w[r * cols + k], dv[dvOff + k]);
                }
            }
        }
    }

    static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    static float tanh(float v) {
        return (float) Math.tanh(v);
    }
}
