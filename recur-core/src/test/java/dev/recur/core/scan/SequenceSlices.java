package dev.recur.core.scan;

import dev.recur.core.tensor.Tensor;

/** Test helpers that cut batch-first tensors {@code [B, T, ...]} along time and join them back. */
public final class SequenceSlices {
    private SequenceSlices() {}

    /** Steps {@code [t0, t1)} of {@code x [B, T, ...]}, as a new tensor {@code [B, t1 - t0, ...]}. */
    public static Tensor slice(Tensor x, int t0, int t1) {
        int[] shape = x.shape();
        int batch = shape[0];
        int seqLen = shape[1];
        int row = x.size() / Math.max(1, batch * seqLen);
        float[] out = new float[batch * (t1 - t0) * row];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x.data(), (b * seqLen + t0) * row, out, b * (t1 - t0) * row, (t1 - t0) * row);
        }
        shape[1] = t1 - t0;
        return Tensor.of(out, shape);
    }

    /** Step {@code t} of {@code x [B, T, ...]} without the time axis: {@code [B, ...]}. */
    public static Tensor at(Tensor x, int t) {
        Tensor s = slice(x, t, t + 1);
        int[] shape = x.shape();
        int[] flat = new int[shape.length - 1];
        flat[0] = shape[0];
        System.arraycopy(shape, 2, flat, 1, shape.length - 2);
        return Tensor.of(s.data(), flat);
    }

    /** {@code a [B, Ta, ...]} and {@code b [B, Tb, ...]} joined along time, as a flat array. */
    public static float[] join(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int ra = a.size() / batch;
        int rb = b.size() / batch;
        float[] out = new float[a.size() + b.size()];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(a.data(), i * ra, out, i * (ra + rb), ra);
            System.arraycopy(b.data(), i * rb, out, i * (ra + rb) + ra, rb);
        }
        return out;
    }
}
