package dev.recur.onnx.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.tensor.Tensor;
import dev.recur.onnx.graph.Value;

/** Compares a computed value with an expected tensor: same shape, and max|a-b| <= tolerance * max|b|. */
final class Close {
    private Close() {}

    static void assertClose(String what, Tensor expected, Value actual, double tolerance) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        float[] a = actual.floatData(what);
        float[] b = expected.data();
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        assertThat(ref).as(what + " is not all zeros").isGreaterThan(0);
        assertThat(diff / ref).as(what + " relative error").isLessThanOrEqualTo(tolerance);
    }
}
