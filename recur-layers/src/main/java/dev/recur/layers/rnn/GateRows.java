package dev.recur.layers.rnn;

import dev.recur.core.kernel.elementwise.Elementwise;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector passes over one block of gate values that the variant kernels ({@link LstmVariantSequence},
 * {@link GruVariantSequence}) apply per batch row: an activation function (sigmoid and tanh on the bit-reproducible
 * elementwise kernels, ReLU as a lane-wise maximum) and the clip. Each keeps its vectors inside its own loop.
 */
final class GateRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private GateRows() {}

    /** {@code dst[dstOff + k] = act(src[srcOff + k])} for {@code k < n}; the two ranges may be the same. */
    static void activate(Activation act, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        if (act == Activation.SIGMOID) {
            Elementwise.kernel().sigmoid(src, srcOff, dst, dstOff, n);
        } else if (act == Activation.TANH) {
            Elementwise.kernel().tanh(src, srcOff, dst, dstOff, n);
        } else {
            int k = 0;
            for (int bound = S.loopBound(n); k < bound; k += S.length()) {
                FloatVector.fromArray(S, src, srcOff + k).max(0f).intoArray(dst, dstOff + k);
            }
            for (; k < n; k++) {
                dst[dstOff + k] = Math.max(src[srcOff + k], 0f);
            }
        }
    }

    /**
     * When {@code spec} clips: copies {@code a[off, off + n)} to {@code raw} at {@code rawOff} (the values the
     * backward's clip derivative reads), then clamps them in place to {@code [-clip, clip]}. Else does nothing.
     */
    static void clip(GateSpec spec, float[] a, int off, int n, float[] raw, int rawOff) {
        if (!spec.clips()) {
            return;
        }
        System.arraycopy(a, off, raw, rawOff, n);
        float c = spec.clip();
        int k = 0;
        for (int bound = S.loopBound(n); k < bound; k += S.length()) {
            FloatVector.fromArray(S, a, off + k).max(-c).min(c).intoArray(a, off + k);
        }
        for (; k < n; k++) {
            a[off + k] = Math.min(Math.max(a[off + k], -c), c);
        }
    }
}
