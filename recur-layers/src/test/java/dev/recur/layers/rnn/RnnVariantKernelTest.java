package dev.recur.layers.rnn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fast kernels of the cell variants of ONNX's operators equal their scalar reference kernels at T = 1, 7 and
 * 63 with odd hidden sizes, full and variable-length batches, one and two directions, with and without biases:
 * outputs, final states and every gradient (input, h0, c0, each parameter, the peepholes included), by name.
 */
class RnnVariantKernelTest {
    static Stream<Arguments> sizes() {
        CellVariant none = CellVariant.NONE;
        List<RnnConfig> configs = List.of(
                RnnConfig.gru(5, 7).withVariant(none.withLinearBeforeReset(false)),
                RnnConfig.gru(5, 7).withVariant(none.withLinearBeforeReset(false).withClip(0.5f)),
                RnnConfig.gru(5, 7).withVariant(none.withClip(0.5f).withActivations(Activation.RELU,
                        Activation.SIGMOID)),
                RnnConfig.lstm(5, 7).withVariant(none.withPeepholes(true)),
                RnnConfig.lstm(5, 7).withVariant(none.withPeepholes(true).withClip(0.5f)
                        .withCoupledInputForget(true)),
                RnnConfig.lstm(5, 7).withVariant(none.withActivations(Activation.TANH, Activation.RELU,
                        Activation.SIGMOID).withClip(2f)),
                RnnConfig.rnn(5, 7).withVariant(none.withClip(0.5f).withActivations(Activation.SIGMOID)));
        List<Arguments> cases = new ArrayList<>();
        for (RnnConfig c : configs) {
            cases.add(Arguments.of(c.withBatchFirst(false), 3, 1, false));
            cases.add(Arguments.of(c.withLayers(2).withBidirectional(true), 4, 7, true));
            cases.add(Arguments.of(c.withBias(false).withBidirectional(true), 5, 63, true));
            cases.add(Arguments.of(new RnnConfig(c.cell(), 6, 37, 1, false, true, 0f, 0, true, c.variant()), 3, 63,
                    false));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2} lengths={3}")
    @MethodSource("sizes")
    void fastEqualsReference(RnnConfig cfg, int batch, int steps, boolean withLengths) {
        int[] lengths = withLengths ? RnnPackedKernelTest.lengths(batch, steps) : null;
        Map<String, float[]> fast = RnnPackedKernelTest.run(cfg, batch, steps, lengths, false);
        Map<String, float[]> reference = RnnPackedKernelTest.run(cfg, batch, steps, lengths, true);
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, float[]> e : reference.entrySet()) {
            String name = e.getKey();
            double tolerance = name.startsWith("grad ") ? 1e-4 : 1e-5;
            double err = RnnKernelTest.relativeError(fast.get(name), e.getValue());
            if (!(err <= tolerance)) {
                failures.add(name + " rel err " + err);
            }
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertTrue(reference.keySet().containsAll(fast.keySet()) && fast.size() == reference.size());
    }
}
