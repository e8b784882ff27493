package dev.recur.train.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.ops.CrossEntropy;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.TokenBatch;
import java.util.Arrays;

/**
 * Cross-entropy over the answer positions of a {@link TokenBatch} only: positions whose mask is 0 get
 * PyTorch's ignore index, so they add nothing to the loss or its gradient and do not count in the mean.
 */
public final class AnswerLoss {
    private AnswerLoss() {}

    /** The batch's targets with {@link CrossEntropy#DEFAULT_IGNORE_INDEX} wherever the mask is 0. */
    public static IntTensor maskedTargets(TokenBatch batch) {
        int[] t = batch.targets().data();
        float[] m = batch.mask().data();
        int[] out = new int[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = m[i] != 0f ? t[i] : CrossEntropy.DEFAULT_IGNORE_INDEX;
        }
        return IntTensor.of(out, batch.targets().shape());
    }

    /** Mean cross-entropy of {@code logits [..., C]} (the targets' shape plus classes) over answer positions. */
    public static Tensor of(Tensor logits, TokenBatch batch) {
        int[] ts = batch.targets().shape();
        int[] ls = logits.shape();
        if (ls.length != ts.length + 1 || !Arrays.equals(Arrays.copyOf(ls, ts.length), ts)) {
            throw new RecurException("AnswerLoss: expected logits " + Shapes.format(ts) + " + [classes], got "
                    + Shapes.format(ls));
        }
        return CrossEntropy.crossEntropy(logits, maskedTargets(batch));
    }
}
