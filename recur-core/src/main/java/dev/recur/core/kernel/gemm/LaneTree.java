package dev.recur.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a vector's lanes in one fixed order: lane {@code l + L/2} is added onto lane {@code l}, then
 * {@code l + L/4}, and so on down to one lane, by exact permutations and lane-wise adds. {@code reduceLanes} does
 * not promise an order (the JIT may change it once it compiles the call), so the dot-product paths of the GEMM use
 * this instead, and give the same bits compiled or not.
 */
final class LaneTree {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Shuffles that bring lane {@code l + w} onto lane {@code l}, for w = L/2, L/4, ..., 1. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    private LaneTree() {}

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int lanes = S.length();
        int count = Integer.numberOfTrailingZeros(lanes);
        VectorShuffle<Float>[] folds = new VectorShuffle[count];
        for (int f = 0, w = lanes / 2; f < count; f++, w /= 2) {
            int width = w;
            folds[f] = VectorShuffle.fromOp(S, l -> (l + width) % lanes);
        }
        return folds;
    }

    /** The lanes of {@code v} added in the fixed tree. */
    static float sum(FloatVector v) {
        FloatVector t = v;
        for (VectorShuffle<Float> fold : FOLDS) {
            t = t.add(t.rearrange(fold));
        }
        return t.lane(0);
    }
}
