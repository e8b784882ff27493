package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;

/**
 * The GEMMs the fast sequence kernels share: the input projection of all timesteps at once, and the weight and
 * input gradients batched over time ({@code [G*H, T*B] x [T*B, I]}) after the BPTT loop.
 */
final class SequenceGemm {
    private SequenceGemm() {}

    /**
     * {@code x W_ih^T + b_ih} for every timestep, plus {@code b_hh} when {@code withHiddenBias} (cells whose
     * hidden bias is a plain sum). Returns [T*B, G*H].
     */
    static float[] inputProjection(CellWeights w, float[] x, int rows, boolean withHiddenBias) {
        int gh = w.rows();
        int in = w.inputSize;
        float[] pre = new float[rows * gh];
        Gemm.sgemm(false, true, rows, gh, in, x, 0, in, w.wih, 0, in, pre, 0, gh, false);
        if (w.bih != null) {
            addToRows(pre, 0, rows, gh, w.bih);
            if (withHiddenBias) {
                addToRows(pre, 0, rows, gh, w.bhh);
            }
        }
        return pre;
    }

    /** Adds {@code bias [cols]} to each of {@code rows} rows of {@code m} starting at {@code off}. */
    static void addToRows(float[] m, int off, int rows, int cols, float[] bias) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                m[base + j] += bias[j];
            }
        }
    }

    /** Adds the column sums of {@code m [rows, cols]} into {@code acc [cols]}. */
    static void addColumnSums(float[] m, int rows, int cols, float[] acc) {
        for (int r = 0; r < rows; r++) {
            int base = r * cols;
            for (int j = 0; j < cols; j++) {
                acc[j] += m[base + j];
            }
        }
    }

    /**
     * After the BPTT loop: adds the weight and bias gradients, and {@code dGx W_ih} into {@code dx}.
     *
     * @param dGx [T, B, G*H] gradient of the input-side pre-activations
     * @param dGh [T, B, G*H] gradient of the hidden-side pre-activations (the same array for cells that sum them)
     * @param dx  [T, B, I] added into, or null
     */
    static void backwardWeights(CellWeights w, SequenceTrace tr, float[] dGx, float[] dGh, float[] dx) {
        int gh = w.rows();
        int in = w.inputSize;
        int hidden = w.hidden;
        int batch = tr.batch;
        int rows = tr.steps * batch;
        if (w.gradWih != null) {
            Gemm.sgemm(true, false, gh, in, rows, dGx, 0, gh, tr.x, 0, in, w.gradWih, 0, in, true);
        }
        if (w.gradBih != null) {
            addColumnSums(dGx, rows, gh, w.gradBih);
        }
        if (w.gradWhh != null) {
            // The hidden state before position t is the output at the previous position, or h0 at the first:
            // one GEMM over the T-1 shifted rows of y and one over h0.
            int first = tr.reverse ? tr.steps - 1 : 0;
            if (tr.steps > 1) {
                int dOff = tr.reverse ? 0 : batch * gh;
                int yOff = tr.reverse ? batch * hidden : 0;
                Gemm.sgemm(true, false, gh, hidden, rows - batch, dGh, dOff, gh, tr.y, yOff, hidden,
                        w.gradWhh, 0, hidden, true);
            }
            Gemm.sgemm(true, false, gh, hidden, batch, dGh, first * batch * gh, gh, tr.h0, 0, hidden,
                    w.gradWhh, 0, hidden, true);
        }
        if (w.gradBhh != null) {
            addColumnSums(dGh, rows, gh, w.gradBhh);
        }
        if (dx != null) {
            Gemm.sgemm(false, false, rows, in, gh, dGx, 0, gh, w.wih, 0, in, dx, 0, in, true);
        }
    }
}
