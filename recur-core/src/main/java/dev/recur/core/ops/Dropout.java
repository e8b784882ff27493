package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;

/**
 * Inverted dropout (Srivastava et al., 2014): while training, each element is kept with probability
 * {@code 1 - p} and scaled by {@code 1 / (1 - p)}, else zeroed, so the expected output equals the input; the
 * derivative applies the same mask and scale. The mask is drawn from {@code rng}, one uniform per element in
 * row-major order, so the same generator state gives the same mask.
 */
public final class Dropout {
    private Dropout() {}

    /**
     * Applies dropout with drop probability {@code p} in {@code [0, 1)}. When not training, or when
     * {@code p == 0}, returns {@code x} itself (no copy, no graph node) and draws nothing from {@code rng}.
     */
    public static Tensor dropout(Tensor x, float p, Rng rng, boolean training) {
        if (!(p >= 0f && p < 1f)) {
            throw new RecurException("dropout: expected a drop probability p in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        if (rng == null) {
            throw new RecurException("dropout: training with p = " + p + " needs an Rng, got null");
        }
        float scale = 1f / (1f - p);
        float[] xd = x.data();
        float[] mask = new float[xd.length];
        float[] y = new float[xd.length];
        for (int i = 0; i < xd.length; i++) {
            if (rng.nextDouble() >= p) {
                mask[i] = scale;
                y[i] = xd[i] * scale;
            }
        }
        return Tensor.result("dropout", y, x.shape(), dy -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    gx[i] = Math.fma(dy[i], mask[i], gx[i]);
                }
            }
        }, x);
    }
}
