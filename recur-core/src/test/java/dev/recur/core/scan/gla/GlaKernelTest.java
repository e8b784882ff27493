package dev.recur.core.scan.gla;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chunked GLA against the sequential reference on awkward sizes and chunk lengths, with and without decay:
 * outputs, final state and every gradient; the strongest decays (log alpha down to -30 per step) would overflow a chunk-level normalisation.
 */
class GlaKernelTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 2, 7, 16, 64, 16, -1.0), Arguments.of(2, 63, 2, 16, 7, 16, 4, -1.0),
                Arguments.of(1, 257, 1, 7, 16, 64, 16, -0.5), Arguments.of(1, 257, 2, 16, 16, 100, 7, -3.0),
                Arguments.of(1, 63, 1, 7, 7, 1, 1, -1.0), Arguments.of(1, 257, 1, 16, 7, 64, 16, -30.0),
                Arguments.of(2, 0, 1, 3, 2, 8, 4, -1.0));
    }

    private static void compare(GlaInputs in, int chunk, int subChunk, String where) {
        float[] oRef = new float[in.batch() * in.seqLen() * in.heads() * in.valueDim()];
        float[] hRef = new float[in.stateSize()];
        new GlaReference().forward(in, oRef, hRef);
        float[] o = new float[oRef.length];
        float[] hT = new float[hRef.length];
        new GlaChunked(chunk, subChunk).forward(in, o, hT);
        assertClose("o" + where, oRef, o, 1e-5);
        assertClose("hT" + where, hRef, hT, 1e-5);

        Rng rng = new Rng(in.seqLen() + 31L * chunk);
        float[] go = uniform(rng, o.length, -1, 1);
        float[] ghT = uniform(rng, hT.length, -1, 1);
        GlaGrads want = GlaGrads.zerosFor(in);
        new GlaReference().backward(in, go, ghT, want);
        GlaGrads got = GlaGrads.zerosFor(in);
        new GlaChunked(chunk, subChunk).backward(in, go, ghT, got);
        assertClose("dq" + where, want.q(), got.q(), 1e-4);
        assertClose("dk" + where, want.k(), got.k(), 1e-4);
        assertClose("dv" + where, want.v(), got.v(), 1e-4);
        if (in.logDecay() != null) {
            assertClose("dlogDecay" + where, want.logDecay(), got.logDecay(), 1e-4);
        }
        if (in.h0() != null) {
            assertClose("dh0" + where, want.h0(), got.h0(), 1e-4);
        }
    }

    @ParameterizedTest(name = "B={0} T={1} H={2} K={3} V={4} chunk={5}/{6} minLogDecay={7}")
    @MethodSource("sizes")
    void chunkedForwardMatchesReference(int batch, int seqLen, int heads, int keyDim, int valueDim, int chunk,
                                        int subChunk, double minLogDecay) {
        Rng rng = new Rng(100L * seqLen + keyDim + chunk);
        int bth = batch * seqLen * heads;
        GlaInputs in = new GlaInputs(uniform(rng, bth * keyDim, -1, 1), uniform(rng, bth * keyDim, -1, 1),
                uniform(rng, bth * valueDim, -1, 1), uniform(rng, bth * keyDim, minLogDecay, -0.001),
                uniform(rng, batch * heads * keyDim * valueDim, -1, 1), 0.5f, batch, seqLen, heads, keyDim,
                valueDim);
        compare(in, chunk, subChunk, " gla B=" + batch + " T=" + seqLen + " K=" + keyDim + " chunk=" + chunk);
    }

    @ParameterizedTest(name = "B={0} T={1} H={2} K={3} V={4} chunk={5}")
    @MethodSource("sizes")
    void chunkedLinearAttentionMatchesReference(int batch, int seqLen, int heads, int keyDim, int valueDim,
                                                int chunk, int subChunk, double unused) {
        Rng rng = new Rng(7L * seqLen + valueDim + chunk);
        int bth = batch * seqLen * heads;
        GlaInputs in = new GlaInputs(uniform(rng, bth * keyDim, -1, 1), uniform(rng, bth * keyDim, 0, 1),
                uniform(rng, bth * valueDim, -1, 1), null, null, 0.25f, batch, seqLen, heads, keyDim, valueDim);
        compare(in, chunk, subChunk, " linear attention B=" + batch + " T=" + seqLen + " chunk=" + chunk);
    }
}
