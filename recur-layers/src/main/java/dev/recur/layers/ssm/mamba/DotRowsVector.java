package dev.recur.layers.ssm.mamba;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code y = x W^T} for a few rows of {@code x [rows, in]} (one token per stream while generating) and a weight
 * stored {@code [out, in]}: each output is a dot product of two contiguous rows, so the weight streams from
 * memory once, in place, with no transposed copy (the GEMM's packing costs more than the product at one row).
 * Summation order differs from {@link DotRowsReference} (two lane-wise partial sums, then a lane reduction).
 */
final class DotRowsVector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private DotRowsVector() {}

    static void multiply(float[] x, int rows, int in, float[] w, int out, float[] y) {
        int bound = in - in % (2 * L);
        for (int j = 0; j < out; j++) {
            int wRow = j * in;
            for (int r = 0; r < rows; r++) {
                int xRow = r * in;
                FloatVector s0 = FloatVector.zero(S);
                FloatVector s1 = FloatVector.zero(S);
                int p = 0;
                for (; p < bound; p += 2 * L) {
                    s0 = FloatVector.fromArray(S, x, xRow + p).fma(FloatVector.fromArray(S, w, wRow + p), s0);
                    s1 = FloatVector.fromArray(S, x, xRow + p + L).fma(FloatVector.fromArray(S, w, wRow + p + L), s1);
                }
                float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
                for (; p < in; p++) {
                    s = Math.fma(x[xRow + p], w[wRow + p], s);
                }
                y[r * out + j] = s;
            }
        }
    }
}
