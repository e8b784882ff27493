package dev.recur.core.scan.ssd;

import static dev.recur.core.scan.ScanTesting.assertClose;
import static dev.recur.core.scan.ScanTesting.uniform;

import dev.recur.core.random.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chunked SSD forward against the sequential reference on awkward sizes and chunk lengths. */
class SsdKernelTest {
    static Stream<Arguments> sizes() {
        return Stream.of(
                Arguments.of(1, 1, 2, 7, 1, 16, 64), Arguments.of(2, 63, 4, 7, 2, 16, 16),
                Arguments.of(1, 257, 2, 5, 1, 1, 64), Arguments.of(2, 257, 4, 8, 4, 16, 7),
                Arguments.of(1, 63, 3, 16, 3, 8, 1), Arguments.of(1, 0, 2, 3, 1, 2, 8));
    }

    @ParameterizedTest(name = "B={0} T={1} H={2} P={3} G={4} N={5} chunk={6}")
    @MethodSource("sizes")
    void chunkedForwardMatchesReference(int batch, int seqLen, int heads, int headDim, int groups, int dState,
                                        int chunk) {
        Rng rng = new Rng(100L * seqLen + heads + chunk);
        int bt = batch * seqLen;
        SsdInputs in = new SsdInputs(uniform(rng, bt * heads * headDim, -1, 1), uniform(rng, bt * heads, 0.01, 0.5),
                uniform(rng, heads, -3, -0.1), uniform(rng, bt * groups * dState, -1, 1),
                uniform(rng, bt * groups * dState, -1, 1), uniform(rng, heads, -1, 1),
                uniform(rng, batch * heads * headDim * dState, -1, 1), batch, seqLen, heads, headDim, groups, dState);
        float[] yRef = new float[bt * heads * headDim];
        float[] hRef = new float[batch * heads * headDim * dState];
        new SsdReference().forward(in, yRef, hRef);
        float[] y = new float[yRef.length];
        float[] hT = new float[hRef.length];
        new SsdChunked(chunk).forward(in, y, hT);
        String where = " B=" + batch + " T=" + seqLen + " H=" + heads + " G=" + groups + " chunk=" + chunk;
        assertClose("y" + where, yRef, y, 1e-5);
        assertClose("hT" + where, hRef, hT, 1e-5);
    }
}
