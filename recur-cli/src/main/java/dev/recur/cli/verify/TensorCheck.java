package dev.recur.cli.verify;

import dev.recur.core.tensor.Tensor;

/**
 * One compared tensor: the largest absolute difference, the relative error {@code max|a-b| / max|b|} and the
 * tolerance it must not exceed. A NaN where the reference has a number fails.
 */
public record TensorCheck(String name, double maxAbsDiff, double relativeError, double tolerance) {
    /** Compares {@code actual} with {@code expected} (same shape). */
    public static TensorCheck of(String name, Tensor actual, Tensor expected, double tolerance) {
        float[] a = actual.data();
        float[] b = expected.data();
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs((double) a[i] - b[i]);
            maxDiff = Double.isNaN(d) || d > maxDiff ? d : maxDiff;
            maxRef = Math.max(maxRef, Math.abs(b[i]));
            if (Double.isNaN(maxDiff)) {
                break;
            }
        }
        double rel = maxRef > 0 ? maxDiff / maxRef : (maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY);
        return new TensorCheck(name, maxDiff, rel, tolerance);
    }

    public boolean passed() {
        return relativeError <= tolerance;
    }
}
