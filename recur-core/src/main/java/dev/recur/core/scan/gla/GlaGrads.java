package dev.recur.core.scan.gla;

/**
 * The gradients of a gated linear-attention scan, shaped like the matching {@link GlaInputs}; they start at
 * zero and the backward adds into them. {@code logDecay} and {@code h0} are null when the scan has none.
 */
public record GlaGrads(float[] q, float[] k, float[] v, float[] logDecay, float[] h0) {
    /** Zeroed gradients for these inputs. */
    public static GlaGrads zerosFor(GlaInputs in) {
        int bth = in.batch() * in.seqLen() * in.heads();
        return new GlaGrads(new float[bth * in.keyDim()], new float[bth * in.keyDim()],
                new float[bth * in.valueDim()], in.logDecay() == null ? null : new float[bth * in.keyDim()],
                in.h0() == null ? null : new float[in.stateSize()]);
    }
}
