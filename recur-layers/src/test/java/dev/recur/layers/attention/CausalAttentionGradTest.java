package dev.recur.layers.attention;

import static dev.recur.core.testing.GradCheck.in;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.testing.GradCheck;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link CausalAttention} against the naive double twin ({@link AttentionTwin}) and central differences of it:
 * multi-head, grouped-query and multi-query heads, full and partial rotary, with and without a window, from an
 * empty start and with a cache (whose keys and values get gradients too).
 */
class CausalAttentionGradTest {
    @ParameterizedTest(name = "heads={0} kv={1} hd={2} rot={3} window={4} T={5} start={6}")
    @CsvSource({
        "2, 2, 4, 4, 0, 5, 0",
        "4, 1, 8, 4, 3, 7, 0",
        "4, 2, 6, 2, 0, 1, 0",
        "3, 1, 4, 0, 2, 4, 0",
        "2, 1, 4, 2, 3, 5, 4",
        "4, 2, 4, 4, 4, 2, 9",
        "2, 2, 4, 2, 0, 3, 2",
    })
    void matchesDoubleTwin(int heads, int kvHeads, int headDim, int rotary, int window, int steps, int start) {
        AttentionConfig c = new AttentionConfig(heads, kvHeads, headDim, rotary, 10000.0, window);
        int batch = 2;
        int cached = c.cacheLength(start);
        GradCheck.of("attention").check(t -> {
            KvCache cache = cached == 0 && start == 0 ? null : new KvCache(t[3], t[4]);
            return CausalAttention.forward(c, t[0], t[1], t[2], cache, start).output();
        }, d -> AttentionTwin.forward(c, batch, steps, cached, d[0], d[1], d[2], d[3], d[4], start),
                in(batch, steps, heads * headDim), in(batch, steps, kvHeads * headDim),
                in(batch, steps, kvHeads * headDim), in(batch, kvHeads, cached, headDim),
                in(batch, kvHeads, cached, headDim));
    }

    @ParameterizedTest(name = "window={0}")
    @CsvSource({"0", "3"})
    void cacheAfterTheChunkHoldsTheRotatedKeysAndValues(int window) {
        AttentionConfig c = new AttentionConfig(2, 1, 4, 2, 10000.0, window);
        int steps = 5;
        int keep = c.cacheLength(steps);
        GradCheck.of("attention cache").check(t -> {
            KvCache next = CausalAttention.forward(c, t[0], t[1], t[2], null, 0).cache();
            return Reshaping.concat(2, next.keys(), next.values());
        }, d -> {
            // [B=1, G=1, 2*keep, hd]: the last `keep` rotated keys, then the last `keep` values
            double[] out = new double[2 * keep * 4];
            for (int j = 0; j < keep; j++) {
                int t = steps - keep + j;
                double[] key = AttentionTwin.rotate(Arrays.copyOfRange(d[1], t * 4, t * 4 + 4), c, t);
                System.arraycopy(key, 0, out, j * 4, 4);
                System.arraycopy(d[2], t * 4, out, (keep + j) * 4, 4);
            }
            return out;
        }, in(1, steps, 8).constant(), in(1, steps, 4), in(1, steps, 4));
    }
}
