package dev.recur.tasks.text;

import dev.recur.core.tensor.IntTensor;

/**
 * One language-model batch of byte ids: {@code inputs} and {@code targets}, both {@code [batch, seqLen]}, where
 * each target is the byte that follows its input in the text. Row {@code b} continues row {@code b} of the
 * previous batch unless {@code resetState[b]} is true: then the stream (re)starts here and a recurrent model
 * must reset that row's state before this batch.
 *
 * @param index the batch's position in its sequence, from 0
 */
public record ByteBatch(long index, IntTensor inputs, IntTensor targets, boolean[] resetState) {
    public int batchSize() {
        return inputs.dim(0);
    }

    public int seqLen() {
        return inputs.dim(1);
    }

    /** Whether row {@code b} starts a stream (its state must be reset before this batch). */
    public boolean resets(int b) {
        return resetState[b];
    }
}
