package dev.recur.layers.ssm.mamba2;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.Tensor;

/**
 * {@code min(max(x, low), high)} elementwise, with PyTorch's {@code clamp} derivative: the gradient passes where
 * {@code low <= x <= high} (bounds included) and is zero elsewhere. Mamba-2 clamps its step sizes with it.
 */
final class Clamp {
    private Clamp() {}

    static Tensor apply(Tensor x, double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high) || low > high) {
            throw new RecurException("clamp: expected low <= high, got low=" + low + " high=" + high);
        }
        float lo = (float) low;
        float hi = (float) high;
        float[] xd = x.data();
        float[] y = new float[xd.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.min(Math.max(xd[i], lo), hi);
        }
        return Tensor.result("clamp", y, x.shape(), g -> {
            float[] gx = x.gradBuffer();
            if (gx != null) {
                for (int i = 0; i < gx.length; i++) {
                    if (xd[i] >= lo && xd[i] <= hi) {
                        gx[i] += g[i];
                    }
                }
            }
        }, x);
    }
}
