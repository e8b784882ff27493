package dev.recur.layers.attention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cache makes chunked and token-by-token attention equal the whole forward (with and without a window, past
 * the window's length), and the window hides exactly the keys it should.
 */
class CausalAttentionStepTest {
    private static final int BATCH = 2;
    private static final int STEPS = 23;

    @ParameterizedTest(name = "window={0}")
    @CsvSource({"0", "1", "4", "7", "30"})
    void chunksWithCacheEqualOneForward(int window) {
        AttentionConfig c = new AttentionConfig(4, 2, 6, 4, 10000.0, window);
        Tensor[] qkv = inputs(c, 11);
        Tensor whole = CausalAttention.forward(c, qkv[0], qkv[1], qkv[2], null, 0).output();
        for (int[] cuts : new int[][] {{1}, {3, 9}, {22}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
                18, 19, 20, 21, 22}}) {
            List<Tensor> pieces = new ArrayList<>();
            KvCache cache = null;
            int start = 0;
            for (int i = 0; i <= cuts.length; i++) {
                int end = i < cuts.length ? cuts[i] : STEPS;
                CausalAttention.Result r = CausalAttention.forward(c, slice(qkv[0], start, end),
                        slice(qkv[1], start, end), slice(qkv[2], start, end), cache, start);
                pieces.add(r.output());
                cache = r.cache();
                start = end;
            }
            assertThat(relativeError(Reshaping.concat(1, pieces.toArray(new Tensor[0])), whole))
                    .isLessThanOrEqualTo(1e-5);
            assertThat(cache.keys().dim(2)).isEqualTo(c.cacheLength(STEPS));
        }
    }

    @Test
    void longWindowedChunkRunsInBlocksWithTheTwinsResult() {
        int steps = 2 * CausalAttention.MIN_BLOCK + 17;
        AttentionConfig c = new AttentionConfig(4, 2, 4, 2, 10000.0, 5);
        Rng rng = new Rng(14);
        Tensor q = Tensor.randn(rng.derive(1), 1f, 1, steps, 16);
        Tensor k = Tensor.randn(rng.derive(2), 1f, 1, steps, 8);
        Tensor v = Tensor.randn(rng.derive(3), 1f, 1, steps, 8);
        CausalAttention.Result r = CausalAttention.forward(c, q, k, v, null, 0);
        double[] expected = AttentionTwin.forward(c, 1, steps, 0, doubles(q), doubles(k), doubles(v), new double[0],
                new double[0], 0);
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(r.output().data()[i] - expected[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        assertThat(maxDiff / maxRef).isLessThanOrEqualTo(1e-5);
        assertThat(r.cache().keys().shape()).containsExactly(1, 2, 4, 4);
    }

    @Test
    void windowHidesExactlyTheKeysTooFarBack() {
        int window = 4;
        AttentionConfig c = new AttentionConfig(2, 1, 4, 2, 10000.0, window);
        Tensor[] qkv = inputs(c, 12);
        Tensor base = CausalAttention.forward(c, qkv[0], qkv[1], qkv[2], null, 0).output();
        int changed = 5;
        Tensor k = qkv[1];
        float[] kd = k.data().clone();
        float[] vd = qkv[2].data().clone();
        for (int b = 0; b < BATCH; b++) {
            for (int d = 0; d < c.headDim(); d++) {
                kd[(b * STEPS + changed) * c.headDim() + d] += 3f;
                vd[(b * STEPS + changed) * c.headDim() + d] -= 2f;
            }
        }
        Tensor out = CausalAttention.forward(c, qkv[0], Tensor.of(kd, k.shape()), Tensor.of(vd, k.shape()), null, 0)
                .output();
        int width = c.heads() * c.headDim();
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                boolean sees = t >= changed && t - changed < window;
                double diff = 0;
                for (int i = 0; i < width; i++) {
                    int at = (b * STEPS + t) * width + i;
                    diff = Math.max(diff, Math.abs(out.data()[at] - base.data()[at]));
                }
                if (sees) {
                    assertThat(diff).as("token %d sees token %d", t, changed).isGreaterThan(1e-3);
                } else {
                    assertThat(diff).as("token %d does not see token %d", t, changed).isEqualTo(0.0);
                }
            }
        }
    }

    @Test
    void unboundedAttentionNeedsTheWholeHistory() {
        AttentionConfig c = new AttentionConfig(2, 2, 4, 4, 10000.0, 0);
        Tensor[] qkv = inputs(c, 13);
        assertThatThrownBy(() -> CausalAttention.forward(c, qkv[0], qkv[1], qkv[2], null, 5))
                .isInstanceOf(RecurException.class).hasMessageContaining("position 5");
        KvCache shortCache = new KvCache(Tensor.zeros(BATCH, 2, 3, 4), Tensor.zeros(BATCH, 2, 3, 4));
        assertThatThrownBy(() -> CausalAttention.forward(c, qkv[0], qkv[1], qkv[2], shortCache, 5))
                .isInstanceOf(RecurException.class).hasMessageContaining("[2, 2, 5, 4]")
                .hasMessageContaining("[2, 2, 3, 4]");
    }

    @Test
    void badShapesAndConfigsNameWhatIsWrong() {
        AttentionConfig c = new AttentionConfig(4, 2, 4, 2, 10000.0, 3);
        assertThatThrownBy(() -> CausalAttention.forward(c, Tensor.zeros(1, 3, 15), Tensor.zeros(1, 3, 8),
                Tensor.zeros(1, 3, 8), null, 0)).isInstanceOf(RecurException.class).hasMessageContaining("q [B, T, 16]");
        assertThatThrownBy(() -> CausalAttention.forward(c, Tensor.zeros(1, 3, 16), Tensor.zeros(1, 3, 16),
                Tensor.zeros(1, 3, 8), null, 0)).isInstanceOf(RecurException.class).hasMessageContaining("k");
        assertThatThrownBy(() -> new AttentionConfig(4, 3, 4, 2, 10000.0, 0))
                .isInstanceOf(RecurException.class).hasMessageContaining("kvHeads=3");
        assertThatThrownBy(() -> new AttentionConfig(4, 2, 4, 3, 10000.0, 0))
                .isInstanceOf(RecurException.class).hasMessageContaining("rotaryDims");
        assertThatThrownBy(() -> new AttentionConfig(4, 2, 4, 2, 10000.0, -1))
                .isInstanceOf(RecurException.class).hasMessageContaining("window");
    }

    private static Tensor[] inputs(AttentionConfig c, long seed) {
        Rng rng = new Rng(seed);
        return new Tensor[] {
            Tensor.randn(rng.derive(1), 1f, BATCH, STEPS, c.heads() * c.headDim()),
            Tensor.randn(rng.derive(2), 1f, BATCH, STEPS, c.kvHeads() * c.headDim()),
            Tensor.randn(rng.derive(3), 1f, BATCH, STEPS, c.kvHeads() * c.headDim()),
        };
    }

    private static double[] doubles(Tensor t) {
        double[] d = new double[t.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = t.data()[i];
        }
        return d;
    }

    private static Tensor slice(Tensor x, int start, int end) {
        return Reshaping.slice(x, 1, start, end);
    }

    private static double relativeError(Tensor actual, Tensor expected) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < expected.size(); i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual.data()[i] - expected.data()[i]));
            maxRef = Math.max(maxRef, Math.abs(expected.data()[i]));
        }
        return maxDiff / Math.max(maxRef, 1e-12);
    }
}
