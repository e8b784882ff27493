package dev.recur.layers.rnn;

/**
 * Runs one direction of one layer over a whole sequence, and its BPTT backward. Sequences are time-major
 * inside the layer stack: {@code x [T, B, I]}, {@code y [T, B, S]} (S = P with a projection, else H), each
 * timestep's rows contiguous. The reverse direction reads position {@code T-1} first and writes its output at
 * the position it read, as PyTorch does. With lengths, a row takes steps only at its valid positions (see
 * {@link SequenceTrace}).
 */
interface SequenceKernel {
    /**
     * Forward over the sequence.
     *
     * @param x  [T, B, I] layer input
     * @param h0 [B, S] initial hidden state
     * @param c0 [B, H] initial cell state (LSTM), else ignored
     * @param lengths [B] valid steps per row (each in 1..T), or null when all rows are full
     * @param record whether the backward will run: when not, the kernel may keep only the outputs and final
     *               states (see {@link SequenceTrace#recorded})
     */
    SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0, boolean reverse,
                          boolean record, int[] lengths);

    /**
     * Back-propagates through the sequence of {@code trace}: adds into {@code dx} (when not null) and into the
     * weights' gradient buffers (those not null), and writes the gradients of the initial state.
     *
     * @param dy  [T, B, S] gradient of the outputs (not read at a row's padding positions)
     * @param dhN [B, S] gradient of the final hidden state
     * @param dcN [B, H] gradient of the final cell state (LSTM), else ignored
     * @param dx  [T, B, I] added into, or null
     * @param dh0 [B, S] written
     * @param dc0 [B, H] written (LSTM), else ignored
     */
    void backward(CellWeights w, SequenceTrace trace, float[] dy, float[] dhN, float[] dcN,
                  float[] dx, float[] dh0, float[] dc0);

    /**
     * The fast or the reference kernel for a config: PyTorch's cells (with or without the LSTM's projection) or a
     * {@link CellVariant}'s.
     */
    static SequenceKernel of(RnnConfig config, boolean reference) {
        if (config.variant().isNone()) {
            return of(config.cell(), config.projSize() > 0, reference);
        }
        switch (config.cell()) {
            case LSTM:
                return reference ? new LstmVariantReference() : new LstmVariantSequence();
            case GRU:
                return reference ? new GruVariantReference() : new GruVariantSequence();
            default:
                return reference ? new ElmanCellReference() : new ElmanSequence();
        }
    }

    /** The fast or the reference kernel for PyTorch's cell, with or without the LSTM's projection. */
    static SequenceKernel of(CellType cell, boolean projected, boolean reference) {
        if (projected) {
            return reference ? new ProjectedLstmReference() : new ProjectedLstmSequence();
        }
        switch (cell) {
            case LSTM:
                return reference ? new LstmCellReference() : new LstmSequence();
            case GRU:
                return reference ? new GruCellReference() : new GruSequence();
            default:
                return reference ? new ElmanCellReference() : new ElmanSequence();
        }
    }
}
