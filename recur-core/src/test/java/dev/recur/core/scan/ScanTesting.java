package dev.recur.core.scan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.core.testing.GradCheck;

/** Shared helpers for the scan tests: seeded inputs, named comparisons, and a test-only concatenation op. */
public final class ScanTesting {
    private ScanTesting() {}

    /** Uniform values in {@code [low, high)}. */
    public static float[] uniform(Rng rng, int n, double low, double high) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (low + (high - low) * rng.nextDouble());
        }
        return x;
    }

    public static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    /** Asserts {@code max|got-want| / max|want| <= tol}, naming the tensor. */
    public static void assertClose(String name, float[] want, float[] got, double tol) {
        assertTrue(want.length == got.length, name + ": length " + got.length + " != " + want.length);
        double err = GradCheck.relativeError(got, toDouble(want));
        assertTrue(err <= tol, name + ": relative error " + err + " > " + tol);
    }

    /** Asserts bit-identical arrays, naming the tensor. */
    public static void assertSame(String name, float[] want, float[] got) {
        assertArrayEquals(want, got, 0f, name + " differs");
    }

    /**
     * All elements of the given tensors, flattened and concatenated into one vector, with the gradient split
     * back: lets the single-output gradient check cover ops with several outputs at once.
     */
    public static Tensor concat(Tensor... parts) {
        int n = 0;
        for (Tensor p : parts) {
            n += p.size();
        }
        float[] out = new float[n];
        int at = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.data(), 0, out, at, p.size());
            at += p.size();
        }
        return Tensor.result("concatForTest", out, new int[] {n}, g -> {
            int off = 0;
            for (Tensor p : parts) {
                float[] gp = p.gradBuffer();
                if (gp != null) {
                    for (int i = 0; i < p.size(); i++) {
                        gp[i] += g[off + i];
                    }
                }
                off += p.size();
            }
        }, parts);
    }

    /** Concatenates double arrays (the twins' counterpart of {@link #concat}). */
    public static double[] concat(double[]... parts) {
        int n = 0;
        for (double[] p : parts) {
            n += p.length;
        }
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
