package dev.recur.core.scan.delta;

/**
 * The gradients of a delta-rule scan, shaped like the matching {@link DeltaInputs}; they start at zero and the
 * backward adds into them. {@code logGate} and {@code h0} are null when the scan has none.
 */
public record DeltaGrads(float[] q, float[] k, float[] v, float[] beta, float[] logGate, float[] h0) {
    /** Zeroed gradients for these inputs. */
    public static DeltaGrads zerosFor(DeltaInputs in) {
        int bth = in.batch() * in.seqLen() * in.heads();
        return new DeltaGrads(new float[bth * in.keyDim()], new float[bth * in.keyDim()],
                new float[bth * in.valueDim()], new float[bth], in.logGate() == null ? null : new float[bth],
                in.h0() == null ? null : new float[in.stateSize()]);
    }
}
