package dev.recur.layers.rnn;

/**
 * The weights of one direction of one layer as flat row-major arrays, and the gradient buffers a backward pass
 * adds into (null where no gradient is wanted). {@code G} is the gate count, {@code H} the hidden size and
 * {@code I} the layer's input size.
 */
final class CellWeights {
    final CellType cell;
    final int inputSize;
    final int hidden;
    /** [G*H, I] */
    final float[] wih;
    /** [G*H, H] */
    final float[] whh;
    /** [G*H], or null without biases. */
    final float[] bih;
    /** [G*H], or null without biases. */
    final float[] bhh;
    float[] gradWih;
    float[] gradWhh;
    float[] gradBih;
    float[] gradBhh;

    CellWeights(CellType cell, int inputSize, int hidden, float[] wih, float[] whh, float[] bih, float[] bhh) {
        this.cell = cell;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.wih = wih;
        this.whh = whh;
        this.bih = bih;
        this.bhh = bhh;
    }

    /** Sets the gradient buffers (each may be null). */
    CellWeights withGrads(float[] wihGrad, float[] whhGrad, float[] bihGrad, float[] bhhGrad) {
        gradWih = wihGrad;
        gradWhh = whhGrad;
        gradBih = bihGrad;
        gradBhh = bhhGrad;
        return this;
    }

    /** G*H, the rows of each weight. */
    int rows() {
        return cell.gates() * hidden;
    }
}
