package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import java.util.Arrays;

/**
 * The lengths of the rows of a variable-length batch, with PyTorch's packed-sequence semantics: what
 * {@code pack_padded_sequence(x, lengths, enforce_sorted=False)}, the module, then
 * {@code pad_packed_sequence(out, total_length=T)} compute. Row {@code b} has {@code lengths[b]} valid steps
 * (from 1 to {@code T}, rows in any order); at the padding positions {@code t >= lengths[b]} the output is zero,
 * the state is left as it was, and nothing flows back (the input's gradient there is zero). So each row's final
 * state is taken at its own last valid step, and the reverse direction of a bidirectional layer starts at each
 * row's own last valid step, from the initial state.
 */
public final class PackedLengths {
    private final int[] lengths;

    private PackedLengths(int[] lengths) {
        this.lengths = lengths;
    }

    /** Lengths, one per batch row, each at least 1 (checked against the sequence length by the layer). */
    public static PackedLengths of(int... lengths) {
        if (lengths == null || lengths.length == 0) {
            throw new RecurException("PackedLengths: expected one length per batch row, got none");
        }
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 1) {
                throw new RecurException("PackedLengths: lengths[" + b + "] = " + lengths[b]
                        + ", expected at least 1 (every sequence needs a step)");
            }
        }
        return new PackedLengths(lengths.clone());
    }

    /** Lengths from a rank-1 integer tensor {@code [batch]}. */
    public static PackedLengths of(IntTensor lengths) {
        if (lengths == null || lengths.rank() != 1) {
            throw new RecurException("PackedLengths: expected lengths of shape [batch], got "
                    + (lengths == null ? "null" : Arrays.toString(lengths.shape())));
        }
        return of(lengths.data());
    }

    public int batchSize() {
        return lengths.length;
    }

    /** The valid steps of row {@code row}. */
    public int length(int row) {
        return lengths[row];
    }

    /** A copy of the lengths. */
    public int[] toArray() {
        return lengths.clone();
    }

    /**
     * Checks that there is one length per batch row and that none exceeds the sequence; the message starts with
     * {@code where} and names the row, the expected and the got.
     */
    void check(String where, int batch, int steps) {
        if (lengths.length != batch) {
            throw new RecurException(where + ": lengths has " + lengths.length + " entries, expected one per batch"
                    + " row (" + batch + ")");
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] > steps) {
                throw new RecurException(where + ": lengths[" + b + "] = " + lengths[b] + " is outside [1, " + steps
                        + "], the sequence length");
            }
        }
    }

    /** The lengths as the kernels take them, or null when every row is full (no masking needed). */
    int[] forKernels(int steps) {
        for (int length : lengths) {
            if (length != steps) {
                return lengths;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "PackedLengths" + Arrays.toString(lengths);
    }
}
