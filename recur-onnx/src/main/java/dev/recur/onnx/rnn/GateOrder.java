package dev.recur.onnx.rnn;

import dev.recur.layers.rnn.CellType;

/**
 * How the gate blocks of a recurrent weight are stacked in PyTorch (and so in Recur's {@code RnnLayer}) and in
 * ONNX. A weight of {@code G} gates stacks {@code G} blocks of {@code hiddenSize} rows:
 * <ul>
 *   <li>LSTM: PyTorch {@code i, f, g, o}; ONNX {@code i, o, f, c} (ONNX's {@code c} is PyTorch's {@code g}).</li>
 *   <li>GRU: PyTorch {@code r, z, n}; ONNX {@code z, r, h} (ONNX's {@code h} is PyTorch's {@code n}).</li>
 *   <li>RNN: one block in both.</li>
 * </ul>
 * The same reordering applies to the input weight, the recurrent weight and each half of ONNX's bias. The LSTM's
 * peepholes are {@code p_i, p_o, p_f} in ONNX and {@code p_i, p_f, p_o} in Recur.
 */
public final class GateOrder {
    private static final int[] LSTM_TORCH_OF_ONNX = {0, 3, 1, 2};
    private static final int[] LSTM_ONNX_OF_TORCH = {0, 2, 3, 1};
    private static final int[] GRU_SWAP = {1, 0, 2};
    private static final int[] SINGLE = {0};
    private static final int[] PEEPHOLE_SWAP = {0, 2, 1};

    private GateOrder() {}

    /** Rows {@code [G*H, cols]} in PyTorch's gate order, restacked in ONNX's. */
    public static float[] toOnnx(CellType cell, float[] torchRows, int hiddenSize, int cols) {
        return restack(torchRows, hiddenSize * cols, sourceBlocks(cell, true));
    }

    /** Rows {@code [G*H, cols]} in ONNX's gate order, restacked in PyTorch's. */
    public static float[] toTorch(CellType cell, float[] onnxRows, int hiddenSize, int cols) {
        return restack(onnxRows, hiddenSize * cols, sourceBlocks(cell, false));
    }

    /** For each block of the result, which block of the source it is. */
    private static int[] sourceBlocks(CellType cell, boolean toOnnx) {
        switch (cell) {
            case LSTM:
                return toOnnx ? LSTM_TORCH_OF_ONNX : LSTM_ONNX_OF_TORCH;
            case GRU:
                return GRU_SWAP;
            default:
                return SINGLE;
        }
    }

    /**
     * Peepholes {@code [3H]} in ONNX's order {@code p_i, p_o, p_f}, restacked as Recur's LSTM keeps them
     * ({@code p_i, p_f, p_o}, PyTorch's gate order without {@code g}).
     */
    public static float[] peepholesToTorch(float[] onnx, int hiddenSize) {
        return restack(onnx, hiddenSize, PEEPHOLE_SWAP);
    }

    /** Peepholes {@code [3H]} as Recur keeps them ({@code p_i, p_f, p_o}), restacked in ONNX's order. */
    public static float[] peepholesToOnnx(float[] torch, int hiddenSize) {
        return restack(torch, hiddenSize, PEEPHOLE_SWAP);
    }

    private static float[] restack(float[] rows, int block, int[] source) {
        if (rows.length != block * source.length) {
            throw new IllegalArgumentException("expected " + source.length + " gate blocks of " + block
                    + " values, got " + rows.length + " values");
        }
        float[] out = new float[rows.length];
        for (int b = 0; b < source.length; b++) {
            System.arraycopy(rows, source[b] * block, out, b * block, block);
        }
        return out;
    }
}
