package dev.recur.core.scan.wkv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.kernel.KernelMode;
import dev.recur.core.random.Rng;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SIMD WKV forward equals the scalar reference bit for bit (outputs, final state and the recorded trace) on
 * awkward sizes: channel counts below one vector and with a scalar tail, single-token and long sequences, from
 * the empty state and from a carried one; and the reference stays within float rounding of the double twin.
 */
class WkvKernelTest {
    @ParameterizedTest(name = "B={0} T={1} D={2} carried={3}")
    @CsvSource({"1, 1, 7, false", "2, 63, 500, true", "1, 257, 7, true", "3, 5, 16, false", "1, 63, 1, true"})
    void vectorEqualsReference(int batch, int steps, int channels, boolean carried) {
        Rng rng = new Rng(batch * 1000L + steps * 10L + channels);
        int size = batch * steps * channels;
        int state = batch * channels;
        float[] w = fill(rng, channels, -4, -0.01f);
        float[] u = fill(rng, channels, -1, 1);
        float[] k = fill(rng, size, -6, 6);
        float[] v = fill(rng, size, -2, 2);
        float[] a0 = carried ? fill(rng, state, -1, 1) : new float[state];
        float[] b0 = carried ? fill(rng, state, 0.1f, 3) : new float[state];
        float[] p0 = carried ? fill(rng, state, -3, 3) : filled(state, Wkv.EMPTY_MAX);

        Run ref = run(Wkv.kernel(KernelMode.REFERENCE), batch, steps, channels, w, u, k, v, a0, b0, p0);
        Run vec = run(Wkv.kernel(KernelMode.VECTOR), batch, steps, channels, w, u, k, v, a0, b0, p0);
        assertThat(vec.y).containsExactly(ref.y);
        assertThat(vec.a).containsExactly(ref.a);
        assertThat(vec.b).containsExactly(ref.b);
        assertThat(vec.p).containsExactly(ref.p);
        assertThat(vec.trace.a).containsExactly(ref.trace.a);
        assertThat(vec.trace.b).containsExactly(ref.trace.b);
        assertThat(vec.trace.p).containsExactly(ref.trace.p);

        double[][] twin = WkvTwin.run(batch, steps, channels, d(w), d(u), d(k), d(v), d(a0), d(b0), d(p0));
        assertThat(GradCheck.relativeError(ref.y, twin[0])).isLessThanOrEqualTo(1e-5);
        assertThat(GradCheck.relativeError(ref.b, twin[2])).isLessThanOrEqualTo(1e-5);
    }

    private record Run(float[] y, float[] a, float[] b, float[] p, WkvTrace trace) {}

    private static Run run(WkvKernel kernel, int batch, int steps, int channels, float[] w, float[] u, float[] k,
                           float[] v, float[] a0, float[] b0, float[] p0) {
        int state = batch * channels;
        Run r = new Run(new float[k.length], new float[state], new float[state], new float[state],
                new WkvTrace(k.length));
        kernel.forward(batch, steps, channels, w, u, k, v, a0, b0, p0, r.y, r.a, r.b, r.p, r.trace);
        return r;
    }

    private static float[] fill(Rng rng, int n, float low, float high) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = low + (high - low) * rng.nextFloat();
        }
        return x;
    }

    private static float[] filled(int n, float value) {
        float[] x = new float[n];
        Arrays.fill(x, value);
        return x;
    }

    private static double[] d(float[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i];
        }
        return out;
    }
}
