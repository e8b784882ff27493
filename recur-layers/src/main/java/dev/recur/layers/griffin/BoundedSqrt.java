package dev.recur.layers.griffin;

import dev.recur.core.tensor.Tensor;

/**
 * {@code sqrt(x)} whose derivative is capped at {@value #MAX_GRADIENT}: {@code dy / sqrt(max(4x, 1/MAX^2))}, as the
 * Griffin reference computes the RG-LRU's input normalisation {@code sqrt(1 - a^2)} (for {@code a} near 1 the
 * true derivative explodes).
 */
final class BoundedSqrt {
    static final double MAX_GRADIENT = 1000.0;
    private static final float MIN_FOUR_X = (float) (1.0 / (MAX_GRADIENT * MAX_GRADIENT));

    private BoundedSqrt() {}

    static Tensor apply(Tensor x) {
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) Math.sqrt(xd[i]);
        }
        return Tensor.result("boundedSqrt", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    gx[i] += g[i] / (float) Math.sqrt(Math.max(4f * xd[i], MIN_FOUR_X));
                }
            }
        }, x);
    }
}
