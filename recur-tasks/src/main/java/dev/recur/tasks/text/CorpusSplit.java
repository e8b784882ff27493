package dev.recur.tasks.text;

/**
 * A corpus cut in two at a byte index: the training bytes, then the held-out validation bytes that follow them
 * in the text. The arrays are fresh copies owned by the holder.
 */
public record CorpusSplit(byte[] training, byte[] validation) {
    /** The byte index of the cut in the original text (the training length). */
    public int cut() {
        return training.length;
    }
}
