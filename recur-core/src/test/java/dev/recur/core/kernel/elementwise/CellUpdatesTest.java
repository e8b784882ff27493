package dev.recur.core.kernel.elementwise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fused cell updates equal, bit for bit, the cell formulas written element by element with {@link FloatMath},
 * for widths with and without a scalar tail, on a block of units inside a wider layer (so every stride and offset
 * matters), and leave every element outside the block untouched.
 */
class CellUpdatesTest {
    private static final int ROWS = 3;
    private static final int J0 = 2; // the block's first unit in the layer
    private static final float SENTINEL = 12345f;

    @ParameterizedTest(name = "width={0}")
    @ValueSource(ints = {1, 5, 16, 17, 40, 67})
    void lstmMatchesTheScalarFormulas(int width) {
        int hidden = width + 5;
        Rng rng = new Rng(width);
        float[] pre = random(rng, ROWS * 4 * width, 4f);
        float[] cPrev = random(rng, ROWS * hidden + 1, 2f);
        float[] gates = filled(ROWS * 4 * hidden + 7);
        float[] c = filled(ROWS * hidden + 3);
        float[] cTanh = filled(ROWS * hidden + 5);
        float[] h = filled(ROWS * hidden + 9);
        CellUpdates.lstmForward(pre, ROWS, width, hidden, cPrev, 1 + J0, gates, 7 + J0, c, 3 + J0, cTanh, 5 + J0,
                h, 9 + J0);

        float[] eGates = filled(gates.length);
        float[] eC = filled(c.length);
        float[] eTanh = filled(cTanh.length);
        float[] eH = filled(h.length);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < width; j++) {
                int p = r * 4 * width + j;
                float i = FloatMath.sigmoid(pre[p]);
                float f = FloatMath.sigmoid(pre[p + width]);
                float g = FloatMath.tanh(pre[p + 2 * width]);
                float o = FloatMath.sigmoid(pre[p + 3 * width]);
                int gr = 7 + J0 + r * 4 * hidden + j;
                eGates[gr] = i;
                eGates[gr + hidden] = f;
                eGates[gr + 2 * hidden] = g;
                eGates[gr + 3 * hidden] = o;
                float cell = Math.fma(f, cPrev[1 + J0 + r * hidden + j], i * g);
                float tc = FloatMath.tanh(cell);
                eC[3 + J0 + r * hidden + j] = cell;
                eTanh[5 + J0 + r * hidden + j] = tc;
                eH[9 + J0 + r * hidden + j] = o * tc;
            }
        }
        assertThat(gates).containsExactly(eGates);
        assertThat(c).containsExactly(eC);
        assertThat(cTanh).containsExactly(eTanh);
        assertThat(h).containsExactly(eH);
    }

    @ParameterizedTest(name = "width={0}")
    @ValueSource(ints = {1, 5, 16, 17, 40, 67})
    void gruMatchesTheScalarFormulas(int width) {
        int hidden = width + 5;
        Rng rng = new Rng(100 + width);
        float[] xs = random(rng, ROWS * 3 * width, 3f);
        float[] hs = random(rng, ROWS * 3 * width, 3f);
        float[] hPrev = random(rng, ROWS * hidden + 1, 1f);
        float[] gates = filled(ROWS * 3 * hidden + 7);
        float[] hn = filled(ROWS * hidden + 3);
        float[] h = filled(ROWS * hidden + 9);
        float[] x0 = xs.clone();
        CellUpdates.gruForward(xs, hs, ROWS, width, hidden, hPrev, 1 + J0, gates, 7 + J0, hn, 3 + J0, h, 9 + J0);

        float[] eGates = filled(gates.length);
        float[] eHn = filled(hn.length);
        float[] eH = filled(h.length);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < width; j++) {
                int p = r * 3 * width + j;
                float rg = FloatMath.sigmoid(x0[p] + hs[p]);
                float z = FloatMath.sigmoid(x0[p + width] + hs[p + width]);
                float n = FloatMath.tanh(Math.fma(rg, hs[p + 2 * width], x0[p + 2 * width]));
                int gr = 7 + J0 + r * 3 * hidden + j;
                eGates[gr] = rg;
                eGates[gr + hidden] = z;
                eGates[gr + 2 * hidden] = n;
                eHn[3 + J0 + r * hidden + j] = hs[p + 2 * width];
                eH[9 + J0 + r * hidden + j] = (hPrev[1 + J0 + r * hidden + j] - n) * z + n;
            }
        }
        assertThat(gates).containsExactly(eGates);
        assertThat(hn).containsExactly(eHn);
        assertThat(h).containsExactly(eH);
    }

    private static float[] random(Rng rng, int n, float scale) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) ((rng.nextDouble() * 2 - 1) * scale);
        }
        return a;
    }

    private static float[] filled(int n) {
        float[] a = new float[n];
        Arrays.fill(a, SENTINEL);
        return a;
    }
}
