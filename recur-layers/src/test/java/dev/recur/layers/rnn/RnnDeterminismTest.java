package dev.recur.layers.rnn;

import dev.recur.core.testing.ThreadCounts;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast kernels give the same bits (outputs, final states, every gradient) on 1, 2 and 3 pool threads, at
 * sizes where the hidden units are split among the threads (unevenly for 3) and where they are not, with and
 * without variable lengths, projections and the cell variants of ONNX's operators.
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

    static Stream<Arguments> packedSizes() {
        return Stream.of(
                Arguments.of(RnnConfig.lstm(10, 128).withBidirectional(true), 8, 9),
                Arguments.of(RnnConfig.gru(6, 136).withBatchFirst(false), 8, 5),
                Arguments.of(RnnConfig.rnn(6, 136).withCell(CellType.RNN_RELU), 8, 5),
                Arguments.of(RnnConfig.lstm(6, 136).withProjSize(40).withLayers(2), 8, 5),
                Arguments.of(RnnConfig.gru(6, 136).withVariant(CellVariant.NONE.withLinearBeforeReset(false)
                        .withClip(0.5f)), 8, 5),
                Arguments.of(RnnConfig.lstm(10, 128).withBidirectional(true).withVariant(CellVariant.NONE
                        .withPeepholes(true).withClip(0.5f)), 8, 9),
                Arguments.of(RnnConfig.rnn(6, 136).withVariant(CellVariant.NONE.withActivations(Activation.SIGMOID)
                        .withClip(0.5f)), 8, 5));
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2}")
    @MethodSource("packedSizes")
    void variableLengthsGiveTheSameBitsWhateverTheThreadCount(RnnConfig cfg, int batch, int steps) {
        int[] lengths = RnnPackedKernelTest.lengths(batch, steps);
        ThreadCounts.assertSameBits(() -> new ArrayList<>(
                RnnPackedKernelTest.run(cfg, batch, steps, lengths, false).values()), 1, 2, 3);
    }
}
