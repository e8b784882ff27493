package dev.recur.core.scan.ssd;

/**
 * The gradients of an SSD scan, shaped like the matching {@link SsdInputs}; they start at zero and the
 * backward adds into them. {@code dSkip} and {@code h0} are null when the scan has none.
 */
public record SsdGrads(float[] x, float[] dt, float[] a, float[] b, float[] c, float[] dSkip, float[] h0) {
    public static SsdGrads zerosFor(SsdInputs in) {
        int bt = in.batch() * in.seqLen();
        return new SsdGrads(new float[bt * in.heads() * in.headDim()], new float[bt * in.heads()],
                new float[in.heads()], new float[bt * in.groups() * in.dState()],
                new float[bt * in.groups() * in.dState()], in.dSkip() == null ? null : new float[in.heads()],
                in.h0() == null ? null : new float[in.batch() * in.heads() * in.headDim() * in.dState()]);
    }
}
