package dev.recur.layers.rnn;

import dev.recur.core.testing.ThreadCounts;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast kernels give the same bits (outputs, final states, every gradient) on 1, 2 and 3 pool threads, at
 * sizes where the hidden units are split among the threads (unevenly for 3) and where they are not.
 */
class RnnDeterminismTest {
    static Stream<Arguments> sizes() {
        return Stream.of(CellType.values()).flatMap(cell -> Stream.of(
                Arguments.of(new RnnConfig(cell, 10, 128, 1, false, true, 0f), 8, 9),
                Arguments.of(new RnnConfig(cell, 6, 136, 2, false, true, 0f).withBidirectional(true), 8, 5),
                Arguments.of(new RnnConfig(cell, 5, 7, 1, false, true, 0f), 3, 4)));
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2}")
    @MethodSource("sizes")
    void sameBitsWhateverTheThreadCount(RnnConfig cfg, int batch, int steps) {
        ThreadCounts.assertSameBits(() -> new ArrayList<>(RnnKernelTest.run(cfg, batch, steps, false).values()),
                1, 2, 3);
    }
}
