package dev.recur.core.scan.delta;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chunked (gated) delta rule against the sequential reference on awkward sizes and chunk lengths: outputs,
 * final state and every gradient.
 */
class DeltaKernelTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 2, 7, 16, 64), Arguments.of(2, 63, 2, 16, 7, 16),
                Arguments.of(1, 257, 1, 7, 16, 64), Arguments.of(1, 257, 2, 16, 16, 100),
                Arguments.of(1, 63, 1, 7, 7, 1), Arguments.of(1, 257, 1, 16, 7, 7), Arguments.of(2, 0, 1, 3, 2, 8));
    }

    /** Rows of unit length, as Qwen3-Next's L2 normalisation leaves the keys. */
    static float[] unitRows(Rng rng, int rows, int width) {
        float[] x = uniform(rng, rows * width, -1, 1);
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int i = 0; i < width; i++) {
                norm += x[r * width + i] * x[r * width + i];
            }
            for (int i = 0; i < width; i++) {
                x[r * width + i] /= (float) Math.sqrt(norm + 1e-6);
            }
        }
        return x;
    }

    private static void compare(DeltaInputs in, int chunk, String where) {
        float[] oRef = new float[in.batch() * in.seqLen() * in.heads() * in.valueDim()];
        float[] hRef = new float[in.stateSize()];
        new DeltaReference().forward(in, oRef, hRef);
        float[] o = new float[oRef.length];
        float[] hT = new float[hRef.length];
        new DeltaChunked(chunk).forward(in, o, hT);
        assertClose("o" + where, oRef, o, 2e-5);
        assertClose("hT" + where, hRef, hT, 2e-5);

        Rng rng = new Rng(in.seqLen() + 31L * chunk);
        float[] go = uniform(rng, o.length, -1, 1);
        float[] ghT = uniform(rng, hT.length, -1, 1);
        DeltaGrads want = DeltaGrads.zerosFor(in);
        new DeltaReference().backward(in, go, ghT, want);
        DeltaGrads got = DeltaGrads.zerosFor(in);
        new DeltaChunked(chunk).backward(in, go, ghT, got);
        assertClose("dq" + where, want.q(), got.q(), 1e-4);
        assertClose("dk" + where, want.k(), got.k(), 1e-4);
        assertClose("dv" + where, want.v(), got.v(), 1e-4);
        assertClose("dbeta" + where, want.beta(), got.beta(), 1e-4);
        if (in.logGate() != null) {
            assertClose("dg" + where, want.logGate(), got.logGate(), 1e-4);
        }
        if (in.h0() != null) {
            assertClose("dh0" + where, want.h0(), got.h0(), 1e-4);
        }
    }

    @ParameterizedTest(name = "B={0} T={1} H={2} K={3} V={4} chunk={5}")
    @MethodSource("sizes")
    void chunkedGatedDeltaRuleMatchesReference(int batch, int seqLen, int heads, int keyDim, int valueDim,
                                               int chunk) {
        Rng rng = new Rng(100L * seqLen + keyDim + chunk);
        int bth = batch * seqLen * heads;
        DeltaInputs in = new DeltaInputs(unitRows(rng, bth, keyDim), unitRows(rng, bth, keyDim),
                uniform(rng, bth * valueDim, -1, 1), uniform(rng, bth, 0, 1), uniform(rng, bth, -3, -0.001),
                uniform(rng, batch * heads * keyDim * valueDim, -1, 1), (float) (1 / Math.sqrt(keyDim)), batch,
                seqLen, heads, keyDim, valueDim);
        compare(in, chunk, " gated B=" + batch + " T=" + seqLen + " K=" + keyDim + " chunk=" + chunk);
    }

    @ParameterizedTest(name = "B={0} T={1} H={2} K={3} V={4} chunk={5}")
    @MethodSource("sizes")
    void chunkedDeltaRuleMatchesReference(int batch, int seqLen, int heads, int keyDim, int valueDim, int chunk) {
        Rng rng = new Rng(7L * seqLen + valueDim + chunk);
        int bth = batch * seqLen * heads;
        DeltaInputs in = new DeltaInputs(unitRows(rng, bth, keyDim), unitRows(rng, bth, keyDim),
                uniform(rng, bth * valueDim, -1, 1), uniform(rng, bth, 0, 1), null, null, 0.5f, batch, seqLen,
                heads, keyDim, valueDim);
        compare(in, chunk, " ungated B=" + batch + " T=" + seqLen + " chunk=" + chunk);
    }
}
