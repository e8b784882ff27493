package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.parallel.ComputePool;
import java.util.Map;
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
        int original = ComputePool.shared().threads();
        try {
            ComputePool.configure(1);
            Map<String, float[]> one = RnnKernelTest.run(cfg, batch, steps, false);
            for (int threads : new int[] {2, 3}) {
                ComputePool.configure(threads);
                Map<String, float[]> many = RnnKernelTest.run(cfg, batch, steps, false);
                for (Map.Entry<String, float[]> e : one.entrySet()) {
                    assertThat(many.get(e.getKey())).as("%s on %d threads", e.getKey(), threads)
                            .containsExactly(e.getValue());
                }
            }
        } finally {
            ComputePool.configure(original);
        }
    }
}
