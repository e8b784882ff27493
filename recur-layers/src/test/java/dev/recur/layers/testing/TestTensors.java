package dev.recur.layers.testing;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;

/** Inputs and comparisons the layers' tests share: seeded token ids and the relative error they assert on. */
public final class TestTensors {
    private TestTensors() {}

    /** Seeded ids in {@code [0, vocab)}, shape {@code [batch, steps]}. */
    public static IntTensor ids(long seed, int vocab, int batch, int steps) {
        Rng rng = new Rng(seed);
        int[] v = new int[batch * steps];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(vocab);
        }
        return IntTensor.of(v, batch, steps);
    }

    /** {@code max|a-b| / max|b|} (the difference itself where the reference is all zeros). */
    public static double relativeError(Tensor actual, Tensor expected) {
        return relativeError(actual.data(), expected.data());
    }

    /** {@code max|a-b| / max|b|} (the difference itself where the reference is all zeros). */
    public static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("lengths differ: " + actual.length + " vs " + expected.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs((double) expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
