package dev.recur.layers.rat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.ops.Arithmetic;
import dev.recur.core.ops.Reshaping;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.attention.AttentionConfig;
import dev.recur.layers.attention.CausalAttention;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RAT's two limits: with chunks of one token it is causal softmax attention (no rotary) over keys
 * {@code (1 - f) k} and values {@code (1 - f) v}; with one chunk covering the sequence every query sees only its
 * own state, so the output is the plain gated recurrence {@code s_t = f_t s_{t-1} + (1 - f_t) v_t}.
 */
class RatLimitsTest {
    private static final int BATCH = 2;
    private static final int HEADS = 3;
    private static final int HEAD_DIM = 5;
    private static final int E = HEADS * HEAD_DIM;

    @ParameterizedTest(name = "T={0}")
    @CsvSource({"1", "9", "40"})
    void chunkOfOneIsCausalAttention(int steps) {
        Tensor[] in = inputs(steps, 3);
        RatConfig rat = new RatConfig(8, HEADS, HEAD_DIM, 1);
        Tensor got = RatMixer.forward(rat, in[0], in[1], in[2], in[3], null).output();

        AttentionConfig attention = new AttentionConfig(HEADS, HEADS, HEAD_DIM, 0, 10000.0, 0);
        Tensor keep = Arithmetic.add(Arithmetic.neg(in[3]), 1f);
        Tensor expected = CausalAttention.forward(attention, in[0], Arithmetic.mul(keep, in[1]),
                Arithmetic.mul(keep, in[2]), null, 0).output();
        assertThat(relativeError(got, expected)).isLessThanOrEqualTo(1e-5);
    }

    @ParameterizedTest(name = "T={0} L={1}")
    @CsvSource({"1, 1", "12, 12", "12, 50", "33, 33"})
    void oneChunkIsThePlainRecurrence(int steps, int chunkLen) {
        Tensor[] in = inputs(steps, 5);
        RatConfig rat = new RatConfig(8, HEADS, HEAD_DIM, chunkLen);
        RatMixer.Result r = RatMixer.forward(rat, in[0], in[1], in[2], in[3], null);

        float[] f = in[3].data();
        float[] v = in[2].data();
        float[] k = in[1].data();
        double[] expected = new double[BATCH * steps * E];
        double[] lastKey = new double[BATCH * E];
        for (int b = 0; b < BATCH; b++) {
            for (int j = 0; j < E; j++) {
                double sv = 0;
                double sk = 0;
                for (int t = 0; t < steps; t++) {
                    int x = (b * steps + t) * E + j;
                    sv = f[x] * sv + (1 - (double) f[x]) * v[x];
                    sk = f[x] * sk + (1 - (double) f[x]) * k[x];
                    expected[x] = sv;
                }
                lastKey[b * E + j] = sk;
            }
        }
        assertThat(relativeError(r.output(), expected)).isLessThanOrEqualTo(1e-5);
        assertThat(relativeError(Reshaping.slice(r.state().running(), 1, 0, E), lastKey)).isLessThanOrEqualTo(1e-5);
        assertThat(r.state().chunks()).isEqualTo(steps == chunkLen ? 1 : 0);
    }

    /** q, k, v ~ N(0, 1) and forget gates in (0.05, 0.95), each {@code [B, T, E]}. */
    static Tensor[] inputs(int steps, long seed) {
        Rng rng = new Rng(seed);
        Tensor q = Tensor.randn(rng.derive(1), 1f, BATCH, steps, E);
        Tensor k = Tensor.randn(rng.derive(2), 1f, BATCH, steps, E);
        Tensor v = Tensor.randn(rng.derive(3), 1f, BATCH, steps, E);
        Tensor f = Tensor.uniform(rng.derive(4), 0.05f, 0.95f, BATCH, steps, E);
        return new Tensor[] {q, k, v, f};
    }

    private static double relativeError(Tensor got, Tensor expected) {
        double[] e = new double[expected.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = expected.data()[i];
        }
        return relativeError(got, e);
    }

    private static double relativeError(Tensor got, double[] expected) {
        assertThat(got.size()).isEqualTo(expected.length);
        double diff = 0;
        double scale = 1e-12;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(got.data()[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return diff / scale;
    }
}
