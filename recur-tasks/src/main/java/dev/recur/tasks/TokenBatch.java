package dev.recur.tasks;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.util.Arrays;

/**
 * One batch of a token task. {@code inputs} is {@code [batch, seqLen]}; {@code targets} is {@code [batch, seqLen]}
 * (one output head) or {@code [batch, seqLen, heads]}; {@code mask} has the targets' shape and is 1 where a target
 * is scored (an answer position) and 0 elsewhere, where the target is 0 and means nothing.
 *
 * @param index the batch's position in its sequence, from 0
 */
public record TokenBatch(long index, IntTensor inputs, IntTensor targets, Tensor mask) {
    public TokenBatch {
        if (inputs.rank() != 2) {
            throw new RecurException("TokenBatch: expected inputs [batch, seqLen], got "
                    + Arrays.toString(inputs.shape()));
        }
        int[] ts = targets.shape();
        boolean lead = ts.length >= 2 && ts[0] == inputs.dim(0) && ts[1] == inputs.dim(1);
        if (!lead || ts.length > 3 || !Arrays.equals(ts, mask.shape())) {
            throw new RecurException("TokenBatch: expected targets and mask [batch, seqLen(, heads)] matching inputs "
                    + Arrays.toString(inputs.shape()) + ", got targets " + Arrays.toString(ts) + ", mask "
                    + Arrays.toString(mask.shape()));
        }
    }

    public int batchSize() {
        return inputs.dim(0);
    }

    public int seqLen() {
        return inputs.dim(1);
    }

    /** The number of scored target positions. */
    public int answerCount() {
        int n = 0;
        for (float m : mask.data()) {
            n += m != 0f ? 1 : 0;
        }
        return n;
    }
}
