package dev.recur.layers.depth;

import dev.recur.core.tensor.Tensor;

/**
 * The Universal Transformer's coordinate embedding, added to the state before each application of the shared
 * block: {@code P[pos, 2j] = sin(pos / 10000^(2j/D)) + sin(step / 10000^(2j/D))} and {@code P[pos, 2j+1]} the
 * same with cosines, for positions {@code start..start+T-1} and depth steps {@code 1..maxSteps}.
 */
final class CoordinateSignal {
    private CoordinateSignal() {}

    /** {@code [T, D]} for the positions {@code start..start+T-1} at depth step {@code step}, a constant. */
    static Tensor at(long start, int steps, int width, int step) {
        float[] p = new float[steps * width];
        for (int t = 0; t < steps; t++) {
            long pos = start + t;
            for (int j = 0; j < width / 2; j++) {
                double rate = Math.pow(10000.0, -2.0 * j / width);
                p[t * width + 2 * j] = (float) (Math.sin(pos * rate) + Math.sin(step * rate));
                p[t * width + 2 * j + 1] = (float) (Math.cos(pos * rate) + Math.cos(step * rate));
            }
        }
        return Tensor.of(p, steps, width);
    }
}
