package dev.recur.layers.rnn;

/**
 * Runs one direction of one layer over a whole sequence, and its BPTT backward. Sequences are time-major
 * inside the layer stack: {@code x [T, B, I]}, {@code y [T, B, H]}, each timestep's rows contiguous. The
 * reverse direction reads position {@code T-1} first and writes its output at the position it read, as PyTorch
 * does.
 */
interface SequenceKernel {
    /**
     * Forward over the sequence.
     *
     * @param x  [T, B, I] layer input
     * @param h0 [B, H] initial hidden state
     * @param c0 [B, H] initial cell state (LSTM), else ignored
     * @param record whether the backward will run: when not, the kernel may keep only the outputs and final
     *               states (see {@link SequenceTrace#recorded})
     */
    SequenceTrace forward(CellWeights w, float[] x, int steps, int batch, float[] h0, float[] c0, boolean reverse,
                          boolean record);

    /**
     * Back-propagates through the sequence of {@code trace}: adds into {@code dx} (when not null) and into the
     * weights' gradient buffers (those not null), and writes the gradients of the initial state.
     *
     * @param dy  [T, B, H] gradient of the outputs
     * @param dhN [B, H] gradient of the final hidden state
     * @param dcN [B, H] gradient of the final cell state (LSTM), else ignored
     * @param dx  [T, B, I] added into, or null
     * @param dh0 [B, H] written
     * @param dc0 [B, H] written (LSTM), else ignored
     */
    void backward(CellWeights w, SequenceTrace trace, float[] dy, float[] dhN, float[] dcN,
                  float[] dx, float[] dh0, float[] dc0);

    /** The fast or the reference kernel for a cell. */
    static SequenceKernel of(CellType cell, boolean reference) {
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
