package dev.recur.core.ops;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;

/**
 * Embedding lookup: {@code y[..., :] = weight[ids[...], :]}. The derivative scatter-adds each output row's
 * gradient into the weight row it came from (a repeated id accumulates), in position order, so deterministically.
 * As PyTorch's {@code nn.Embedding(padding_idx=p)}, lookups of a padding id read its row but add nothing to its
 * gradient.
 */
public final class Embedding {
    private Embedding() {}

    /** Rows of {@code weight [V, D]} picked by {@code ids [...]}: {@code [..., D]}. */
    public static Tensor embedding(Tensor weight, IntTensor ids) {
        return embedding(weight, ids, -1);
    }

    /**
     * As {@link #embedding(Tensor, IntTensor)}, with {@code paddingId}'s row left out of the derivative (-1: no
     * padding id), as transformers builds the embeddings of the models whose {@code pad_token_id} names one.
     */
    public static Tensor embedding(Tensor weight, IntTensor ids, int paddingId) {
        if (weight.rank() != 2) {
            throw new RecurException("embedding: expected weight [V, D], got shape " + Shapes.format(weight.shape()));
        }
        int v = weight.dim(0);
        int d = weight.dim(1);
        IdChecks.requireInRange("embedding", "id", ids, v, 0, false);
        if (paddingId < -1 || paddingId >= v) {
            throw new RecurException("embedding: padding id expected -1 (none) or in [0, " + v + "), got " + paddingId);
        }
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
                if (idx[i] == paddingId) {
                    continue;
                }
                int src = i * d;
                int dst = idx[i] * d;
                for (int j = 0; j < d; j++) {
                    gw[dst + j] += dy[src + j];
                }
            }
        }, weight);
    }
}
