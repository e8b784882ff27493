package dev.recur.core.scan.selective;

/**
 * The gradients a selective scan's backward produces, with the shapes of the matching
 * {@link SelectiveScanInputs}. Every array starts at zero and kernels add into them; {@code dSkip} and
 * {@code h0} are null when the scan has no skip connection or no initial state.
 */
public record SelectiveScanGrads(float[] u, float[] delta, float[] a, float[] b, float[] c, float[] dSkip,
                                 float[] h0) {
    /** Zeroed gradients for these inputs. */
    public static SelectiveScanGrads zerosFor(SelectiveScanInputs in) {
        int btd = in.batch() * in.seqLen() * in.channels();
        int btn = in.batch() * in.seqLen() * in.dState();
        return new SelectiveScanGrads(new float[btd], new float[btd], new float[in.channels() * in.dState()],
                new float[btn], new float[btn], in.dSkip() == null ? null : new float[in.channels()],
                in.h0() == null ? null : new float[in.batch() * in.channels() * in.dState()]);
    }
}
