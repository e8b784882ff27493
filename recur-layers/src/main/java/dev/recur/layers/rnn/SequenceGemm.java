package dev.recur.layers.rnn;

import dev.recur.core.kernel.elementwise.BinaryOp;
import dev.recur.core.kernel.elementwise.Elementwise;
import dev.recur.core.kernel.elementwise.ElementwiseKernel;
import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.parallel.ComputePool;

/**
 * The GEMMs the fast sequence kernels share: the input projection of all timesteps at once (Elman; the LSTM and GRU
 * project each step's input inside the step, in the same order), bias rows, and the weight and input gradients
 * batched over time ({@code [G*H, T*B] x [T*B, I]}) after the BPTT loop.
 */
final class SequenceGemm {
    /** Column ranges of {@link #addColumnSums} start on multiples of this (a multiple of every SIMD width). */
    private static final int COLUMN_ALIGN = 64;

    private SequenceGemm() {}

    /**
     * {@code (x W_ih^T + b_ih) + b_hh} for every timestep, for cells whose hidden bias is a plain sum (the LSTM
     * and GRU steps project their own inputs, in this order). Returns [T*B, G*H].
     */
    static float[] inputProjection(CellWeights w, float[] x, int rows) {
        int gh = w.rows();
        int in = w.inputSize;
        float[] pre = new float[rows * gh];
        Gemm.sgemm(false, true, rows, gh, in, x, 0, in, w.wih, 0, in, pre, 0, gh, false);
        if (w.bih != null) {
            // Rows split over the pool: one thread adding the biases of [T*B, G*H] was a tenth of the two-thread
            // LSTM forward when the LSTM still projected all timesteps here.
            ComputePool.shared().forRanges(rows, 1, (r0, r1) -> {
                addToRows(pre, r0 * gh, r1 - r0, gh, w.bih);
                addToRows(pre, r0 * gh, r1 - r0, gh, w.bhh);
            });
        }
        return pre;
    }

    /** Adds {@code bias [cols]} to each of {@code rows} rows of {@code m} starting at {@code off}. */
    static void addToRows(float[] m, int off, int rows, int cols, float[] bias) {
        ElementwiseKernel k = Elementwise.kernel();
        for (int r = 0; r < rows; r++) {
            k.binary(BinaryOp.ADD, m, off + r * cols, bias, 0, m, off + r * cols, cols);
        }
    }

    /**
     * Adds the column sums of {@code m [rows, cols]} into {@code acc [cols]}, each column in order of rows (so
     * the split of the columns over the pool does not change a bit).
     */
    static void addColumnSums(float[] m, int rows, int cols, float[] acc) {
        ElementwiseKernel k = Elementwise.kernel();
        ComputePool.shared().forRanges(cols, COLUMN_ALIGN, (j0, j1) -> {
            for (int r = 0; r < rows; r++) {
                k.binary(BinaryOp.ADD, acc, j0, m, r * cols + j0, acc, j0, j1 - j0);
            }
        });
    }

    /**
     * Where the gradients of the hidden-side pre-activations ({@code [T, B, G*H]} in all) live: the rows of the
     * first {@code sharedGates} gates are those of the input side ({@code shared}, {@code [T, B, G*H]}), as in the
     * GRU, whose {@code r} and {@code z} take the same gradient on both sides; the other gates' are in
     * {@code own} ({@code [T, B, (G - sharedGates)*H]}).
     */
    record HiddenSide(float[] shared, int sharedGates, float[] own) {
        /** All gates in {@code dGh [T, B, G*H]}. */
        static HiddenSide all(float[] dGh) {
            return new HiddenSide(null, 0, dGh);
        }
    }

    /**
     * The bias gradients of a cell whose two biases are a plain sum, both the column sums of its pre-activation
     * gradients {@code dPre [T*B, G*H]}, for kernels that do not sum them in their loop ({@link UnitColumnSums}).
     */
    static void addBiasGradients(CellWeights w, SequenceTrace tr, float[] dPre) {
        int rows = tr.steps * tr.batch;
        if (w.gradBih != null) {
            addColumnSums(dPre, rows, w.rows(), w.gradBih);
        }
        if (w.gradBhh != null) {
            addColumnSums(dPre, rows, w.rows(), w.gradBhh);
        }
    }

    /**
     * After the BPTT loop: adds the weight gradients, and {@code dGx W_ih} into {@code dx} (the bias gradients are
     * {@link #addBiasGradients} or the kernel's own {@link UnitColumnSums}).
     *
     * @param dGx [T, B, G*H] gradient of the input-side pre-activations
     * @param dGh the gradient of the hidden-side pre-activations
     * @param dx  [T, B, I] added into, or null
     */
    static void backwardWeights(CellWeights w, SequenceTrace tr, float[] dGx, HiddenSide dGh, float[] dx) {
        int gh = w.rows();
        int in = w.inputSize;
        int rows = tr.steps * tr.batch;
        if (w.gradWih != null) {
            Gemm.sgemm(true, false, gh, in, rows, dGx, 0, gh, tr.x, 0, in, w.gradWih, 0, in, true);
        }
        int sharedRows = dGh.sharedGates() * w.hidden;
        int ownRows = gh - sharedRows;
        if (w.gradWhh != null) {
            if (sharedRows > 0) {
                hiddenWeightGradient(w, tr, dGh.shared(), gh, sharedRows, 0);
            }
            hiddenWeightGradient(w, tr, dGh.own(), ownRows, ownRows, sharedRows);
        }
        if (dx != null) {
            Gemm.sgemm(false, false, rows, in, gh, dGx, 0, gh, w.wih, 0, in, dx, 0, in, true);
        }
    }

    /**
     * Adds {@code d^T h_prev} into the {@code m} rows of {@code W_hh}'s gradient from {@code firstRow}, for the
     * pre-activation gradients {@code d [T, B, m]} (rows {@code ld} apart). The hidden state before position t is
     * the output at the previous position, or h0 at the first: one GEMM over the T-1 shifted rows of y and one
     * over h0. With lengths the rows of y past a row's length hold its carried state, and their gradients are zero.
     */
    private static void hiddenWeightGradient(CellWeights w, SequenceTrace tr, float[] d, int ld, int m,
                                             int firstRow) {
        int state = w.stateSize();
        int batch = tr.batch;
        int rows = tr.steps * batch;
        int cOff = firstRow * state;
        if (tr.steps > 1) {
            int dOff = tr.reverse ? 0 : batch * ld;
            int yOff = tr.reverse ? batch * state : 0;
            Gemm.sgemm(true, false, m, state, rows - batch, d, dOff, ld, tr.y, yOff, state, w.gradWhh, cOff,
                    state, true);
        }
        int first = tr.reverse ? tr.steps - 1 : 0;
        Gemm.sgemm(true, false, m, state, batch, d, first * batch * ld, ld, tr.h0, 0, state, w.gradWhh, cOff,
                state, true);
    }
}
