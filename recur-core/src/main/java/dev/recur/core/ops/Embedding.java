package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Embedding lookup: {@code y[..., :] = weight[ids[...], :]}. The derivative scatter-adds each output row's
 * gradient into the weight row it came from (a repeated id accumulates), in position order, so deterministically.
 */
public final class Embedding {
    private Embedding() {}

    /** Rows of {@code weight [V, D]} picked by {@code ids [...]}: {@code [..., D]}. */
    public static Tensor embedding(Tensor weight, IntTensor ids) {
        if (weight.rank() != 2) {
            throw new RecurException("embedding: expected weight [V, D], got shape " + Shapes.format(weight.shape()));
        }
        int v = weight.dim(0);
        int d = weight.dim(1);
        IdChecks.requireInRange("embedding", "id", ids, v, 0, false);
        int[] idx = ids.data().clone();
        int[] outShape = new int[ids.rank() + 1];
        System.arraycopy(ids.shape(), 0, outShape, 0, ids.rank());
        outShape[ids.rank()] = d;
        float[] w = weight.data();
        float[] y = new float[Shapes.numel(outShape)];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(w, idx[i] * d, y, i * d, d);
        }
        return Tensor.result("embedding", y, outShape, dy -> {
            float[] gw = weight.gradBuffer();
            if (gw == null) {
                return;
            }
            for (int i = 0; i < idx.length; i++) {
                int src = i * d;
                int dst = idx[i] * d;
                for (int j = 0; j < d; j++) {
                    gw[dst + j] += dy[src + j];
                }
            }
        }, weight);
    }
}
