package dev.recur.layers.rnn;

import dev.recur.core.kernel.gemm.Gemm;
import dev.recur.core.kernel.gemm.GemmPackedB;
import java.util.Arrays;
import java.util.Objects;

/**
 * One {@link HiddenSplit} part's share of the input projection, done inside each step: {@code x_t W_ih^T} for the
 * part's units' columns of every gate ({@code [B, gates * width]}, gate by gate), then its bias slices added in
 * order. The slice of {@code W_ih} is packed once and stays in the cache of the core that runs the part. The
 * operations are those of {@link SequenceGemm#inputProjection} on the same elements, so the bits are the same as
 * projecting all timesteps first.
 */
final class StepInputProjection {
    private final int batch;
    private final int inputSize;
    private final int columns;
    private final GemmPackedB wihT;
    private final float[][] biases;

    /**
     * @param biases the gate-stacked biases to add, in order (for example {@code b_ih} then {@code b_hh}); null
     *               ones (a layer without biases) are skipped
     */
    StepInputProjection(CellWeights w, int gates, int batch, int j0, int width, float[]... biases) {
        this.batch = batch;
        this.inputSize = w.inputSize;
        this.columns = gates * width;
        float[] slice = HiddenSplit.unitRows(w.wih, gates, w.hidden, inputSize, j0, width); // [gates * width, I]
        this.wihT = Gemm.packB(true, inputSize, columns, slice, 0, inputSize);
        this.biases = Arrays.stream(biases).filter(Objects::nonNull)
                .map(bias -> HiddenSplit.unitRows(bias, gates, w.hidden, 1, j0, width)).toArray(float[][]::new);
    }

    /** Overwrites {@code out [B, gates * width]} with step {@code t}'s projection of {@code x [T, B, I]}. */
    void project(float[] x, int t, float[] out) {
        Gemm.sgemm(false, batch, x, t * batch * inputSize, inputSize, wihT, out, 0, columns, false);
        for (float[] bias : biases) {
            SequenceGemm.addToRows(out, 0, batch, columns, bias);
        }
    }
}
