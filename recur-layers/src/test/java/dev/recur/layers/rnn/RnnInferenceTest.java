package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A forward that records nothing for the backward (grad mode off, so the kernels keep only the steps in flight)
 * gives the same bits as one that records: outputs and final states, one and several layers, both directions,
 * sequences of one step and of several.
 */
class RnnInferenceTest {
    static Stream<Arguments> cases() {
        return Stream.of(CellType.values()).flatMap(cell -> Stream.of(
                Arguments.of(new RnnConfig(cell, 10, 128, 1, false, true, 0f), 8, 9),
                Arguments.of(new RnnConfig(cell, 6, 36, 2, false, true, 0f).withBidirectional(true), 3, 5),
                Arguments.of(new RnnConfig(cell, 5, 7, 1, false, false, 0f), 2, 1)));
    }

    @ParameterizedTest(name = "{0} batch={1} seq={2}")
    @MethodSource("cases")
    void inferenceEqualsRecordedForward(RnnConfig cfg, int batch, int steps) {
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        Rng data = new Rng(2);
        int[] stateShape = {cfg.stateRows(), batch, cfg.hiddenSize()};
        Tensor x = Tensor.randn(data, 1f, batch, steps, cfg.inputSize()).requiresGrad(true);
        Tensor h0 = Tensor.randn(data, 0.5f, stateShape);
        Tensor c0 = cfg.cell().hasCellState() ? Tensor.randn(data, 0.5f, stateShape) : null;
        RnnOutput recorded = layer.forward(x, new RnnState(h0, c0));
        assertThat(recorded.output().tracksGrad()).isTrue();
        RnnOutput inferred;
        try (GradMode.Scope scope = GradMode.noGrad()) {
            inferred = layer.forward(x, new RnnState(h0, c0));
        }
        assertThat(inferred.output().tracksGrad()).isFalse();
        assertThat(inferred.output().data()).containsExactly(recorded.output().data());
        assertThat(inferred.state().h().data()).containsExactly(recorded.state().h().data());
        if (c0 != null) {
            assertThat(inferred.state().c().data()).containsExactly(recorded.state().c().data());
        }
    }
}
