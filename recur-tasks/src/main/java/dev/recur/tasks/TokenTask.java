package dev.recur.tasks;

/**
 * A task over token ids. Batch {@code k} is a pure function of the task's parameters, its seed, the batch size and
 * {@code k}; each example is drawn from its own stream ({@code seed}, example number), so that example {@code i}
 * is the same whatever the batch size.
 */
public interface TokenTask extends Task {
    /** Ids are in {@code [0, vocabSize)}. */
    int vocabSize();

    /** The number of input positions in every example. */
    int seqLen();

    /** The number of classes a target can take (the output head's width); the vocabulary unless stated. */
    default int targetClasses() {
        return vocabSize();
    }

    /** The {@code index}-th batch of {@code batchSize} examples, examples {@code index * batchSize} onwards. */
    TokenBatch batch(int batchSize, long index);
}
