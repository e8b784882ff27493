package dev.recur.core.kernel.gemm;

import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in one fixed order: lane {@code l + L/2} is added onto lane {@code l}, then
 * {@code l + L/4}, and so on down to one lane. {@code reduceLanes} does not promise an order (the JIT may change it
 * once it compiles the call), so the dot-product paths of the GEMM use this instead, and give the same bits
 * compiled or not.
 *
 * <p>The kernels store their accumulator into an array and this adds the stored lanes with scalar adds (the same
 * adds, in the same order, as a tree of lane shuffles). A vector never crosses a method call: where C2 declines
 * to inline such a call, which depends on what the process compiled before, the vector is boxed on the heap at
 * every call (seen as 0.4 instead of 80 GFLOP/s for a 16 x 1024 x 256 product run after other kernels).
 */
final class LaneTree {
    /** Lanes of the preferred float vector. */
    static final int L = FloatVector.SPECIES_PREFERRED.length();

    private LaneTree() {}

    /** The {@link #L} floats at {@code lanes[off ..]} added in the fixed tree; overwrites them. */
    static float sum(float[] lanes, int off) {
        for (int w = L / 2; w >= 1; w /= 2) {
            for (int l = 0; l < w; l++) {
                lanes[off + l] += lanes[off + l + w];
            }
        }
        return lanes[off];
    }
}
