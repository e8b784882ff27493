package dev.recur.layers.rnn;

/**
 * The weights of one direction of one layer as flat row-major arrays, and the gradient buffers a backward pass
 * adds into (null where no gradient is wanted). {@code G} is the gate count, {@code H} the hidden size,
 * {@code I} the layer's input size and {@code P} the LSTM's projection size (0 without one); the hidden state
 * {@code h} has {@link #stateSize()} features.
 */
final class CellWeights {
    final CellType cell;
    final int inputSize;
    final int hidden;
    /** P, or 0 without a projection. */
    final int proj;
    /** [G*H, I] */
    final float[] wih;
    /** [G*H, stateSize] */
    final float[] whh;
    /** [G*H], or null without biases. */
    final float[] bih;
    /** [G*H], or null without biases. */
    final float[] bhh;
    /** [P, H], or null without a projection. */
    final float[] whr;
    /** [3H] as p_i, p_f, p_o, or null without peepholes. */
    final float[] peephole;
    /** What a variant cell computes in this direction, or null for PyTorch's cell. */
    final GateSpec spec;
    float[] gradWih;
    float[] gradWhh;
    float[] gradBih;
    float[] gradBhh;
    float[] gradWhr;
    float[] gradPeephole;

    CellWeights(CellType cell, int inputSize, int hidden, float[] wih, float[] whh, float[] bih, float[] bhh) {
        this(cell, inputSize, hidden, wih, whh, bih, bhh, 0, null, null, null);
    }

    /**
     * @param whr      [P, H] with a projection ({@code proj > 0}), else null
     * @param spec     the variant's switches and functions for this direction, or null for PyTorch's cell
     * @param peephole [3H] with peepholes, else null
     */
    CellWeights(CellType cell, int inputSize, int hidden, float[] wih, float[] whh, float[] bih, float[] bhh,
                int proj, float[] whr, GateSpec spec, float[] peephole) {
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.wih = wih;
        this.whh = whh;
        this.bih = bih;
        this.bhh = bhh;
        this.proj = proj;
        this.whr = whr;
        this.spec = spec;
        this.peephole = peephole;
    }

    /** Sets the gradient buffers (each may be null). */
    CellWeights withGrads(float[] wihGrad, float[] whhGrad, float[] bihGrad, float[] bhhGrad) {
        gradWih = wihGrad;
        gradWhh = whhGrad;
        gradBih = bihGrad;
        gradBhh = bhhGrad;
        return this;
    }

    /** Sets the projection's gradient buffer (may be null). */
    CellWeights withProjectionGrad(float[] whrGrad) {
        gradWhr = whrGrad;
        return this;
    }

    /** Sets the peepholes' gradient buffer (may be null). */
    CellWeights withPeepholeGrad(float[] peepholeGrad) {
        gradPeephole = peepholeGrad;
        return this;
    }

    /** G*H, the rows of each weight. */
    int rows() {
        return cell.gates() * hidden;
    }

    /** Features of the hidden state: P with a projection, else H. */
    int stateSize() {
        return proj > 0 ? proj : hidden;
    }
}
