package dev.recur.layers.attention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A decoding buffer ({@link KvCache#empty} of an unbounded cache) appends in place and gives what the cache held as
 * tensors gives: the same keys and values bit for bit, outputs within float rounding of the concatenating path
 * (past the buffer's first growth), and no cache ever changes after it was made, whoever appends to the buffer
 * after it (a kept older state, two forks of one state).
 */
class KvCacheBufferTest {
    private static final AttentionConfig CONFIG = new AttentionConfig(4, 2, 8, 8, 10000.0, 0);
    private static final int BATCH = 2;

    @Test
    void stepsIntoABufferMatchTheTensorCacheThroughGrowth() {
        int steps = 150; // past the first buffer's 64 slots and its doubling to 128
        Tensor[] qkv = inputs(steps, 3);
        KvCache buffered = KvCache.empty(CONFIG, BATCH);
        KvCache tensors = new KvCache(Tensor.zeros(BATCH, 2, 0, 8), Tensor.zeros(BATCH, 2, 0, 8));
        for (int t = 0; t < steps; t++) {
            CausalAttention.Result a = CausalAttention.forward(CONFIG, token(qkv[0], t), token(qkv[1], t),
                    token(qkv[2], t), buffered, t);
            CausalAttention.Result b = CausalAttention.forward(CONFIG, token(qkv[0], t), token(qkv[1], t),
                    token(qkv[2], t), tensors, t);
            assertThat(a.cache().buffered()).isTrue();
            assertThat(b.cache().buffered()).isFalse();
            assertThat(maxRelative(a.output(), b.output())).as("step %d", t).isLessThanOrEqualTo(1e-5);
            buffered = a.cache();
            tensors = b.cache();
        }
        assertThat(buffered.keys().shape()).containsExactly(BATCH, 2, steps, 8);
        assertThat(buffered.keys().data()).containsExactly(tensors.keys().data());
        assertThat(buffered.values().data()).containsExactly(tensors.values().data());
    }

    @Test
    void aPromptKeepsTheBufferAndStepsAfterItAppendInPlace() {
        Tensor[] qkv = inputs(40, 4);
        CausalAttention.Result prompt = CausalAttention.forward(CONFIG, Reshaping.slice(qkv[0], 1, 0, 30),
                Reshaping.slice(qkv[1], 1, 0, 30), Reshaping.slice(qkv[2], 1, 0, 30), KvCache.empty(CONFIG, BATCH), 0);
        assertThat(prompt.cache().buffered()).isTrue();
        KvCache cache = prompt.cache();
        Tensor whole = CausalAttention.forward(CONFIG, qkv[0], qkv[1], qkv[2],
                new KvCache(Tensor.zeros(BATCH, 2, 0, 8), Tensor.zeros(BATCH, 2, 0, 8)), 0).output();
        for (int t = 30; t < 40; t++) {
            CausalAttention.Result r = CausalAttention.forward(CONFIG, token(qkv[0], t), token(qkv[1], t),
                    token(qkv[2], t), cache, t);
            assertThat(maxRelative(r.output(), token(whole, t))).as("step %d", t).isLessThanOrEqualTo(1e-5);
            cache = r.cache();
        }
    }

    @Test
    void forksAndKeptStatesNeverSeeEachOthersTokens() {
        Tensor[] qkv = inputs(12, 5);
        Tensor[] other = inputs(12, 6);
        KvCache cache = KvCache.empty(CONFIG, BATCH);
        for (int t = 0; t < 10; t++) {
            cache = CausalAttention.forward(CONFIG, token(qkv[0], t), token(qkv[1], t), token(qkv[2], t), cache, t)
                    .cache();
        }
        KvCache base = cache;
        float[] baseKeys = base.keys().data().clone();
        // Two forks of one state: the first appends in place, the second must copy.
        KvCache forkA = CausalAttention.forward(CONFIG, token(qkv[0], 10), token(qkv[1], 10), token(qkv[2], 10),
                base, 10).cache();
        KvCache forkB = CausalAttention.forward(CONFIG, token(other[0], 10), token(other[1], 10),
                token(other[2], 10), base, 10).cache();
        KvCache forkA2 = CausalAttention.forward(CONFIG, token(qkv[0], 11), token(qkv[1], 11), token(qkv[2], 11),
                forkA, 11).cache();
        assertThat(base.length()).isEqualTo(10);
        assertThat(new KvCache(base.keys(), base.values()).keys().data()).containsExactly(baseKeys);
        assertThat(lastKeys(forkA)).isNotEqualTo(lastKeys(forkB));
        assertThat(slot(forkA2, 10)).containsExactly(lastKeys(forkA));
        // Each fork equals the same tokens fed through caches held as tensors.
        assertThat(forkB.keys().data()).containsExactly(tensorPath(qkv, other, 10).keys().data());
        assertThat(forkA2.keys().data()).containsExactly(tensorPath(qkv, qkv, 12).keys().data());
    }

    /** Tokens {@code 0..9} of {@code first}, then tokens {@code 10..end-1} of {@code rest}, through tensor caches. */
    private static KvCache tensorPath(Tensor[] first, Tensor[] rest, int end) {
        KvCache cache = new KvCache(Tensor.zeros(BATCH, 2, 0, 8), Tensor.zeros(BATCH, 2, 0, 8));
        int last = Math.max(end, 11);
        for (int t = 0; t < last; t++) {
            Tensor[] src = t < 10 ? first : rest;
            cache = CausalAttention.forward(CONFIG, token(src[0], t), token(src[1], t), token(src[2], t), cache, t)
                    .cache();
        }
        return cache;
    }

    private static float[] lastKeys(KvCache c) {
        return slot(c, c.length() - 1);
    }

    /** The keys of token {@code j} of every stream and head. */
    private static float[] slot(KvCache c, int j) {
        Tensor k = c.keys();
        int rows = k.dim(0) * k.dim(1);
        int len = k.dim(2);
        int hd = k.dim(3);
        float[] out = new float[rows * hd];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(k.data(), (r * len + j) * hd, out, r * hd, hd);
        }
        return out;
    }

    private static Tensor[] inputs(int steps, long seed) {
        Rng rng = new Rng(seed);
        return new Tensor[] {Tensor.randn(rng.derive(1), 1f, BATCH, steps, 32),
            Tensor.randn(rng.derive(2), 1f, BATCH, steps, 16), Tensor.randn(rng.derive(3), 1f, BATCH, steps, 16)};
    }

    private static Tensor token(Tensor x, int t) {
        return Reshaping.slice(x, 1, t, t + 1);
    }

    private static double maxRelative(Tensor actual, Tensor expected) {
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < expected.size(); i++) {
            diff = Math.max(diff, Math.abs(actual.data()[i] - expected.data()[i]));
            ref = Math.max(ref, Math.abs(expected.data()[i]));
        }
        return diff / ref;
    }
}
