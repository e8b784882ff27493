package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link RnnCell}: PyTorch's cell names and shapes, its initialisation drawn in the order of a one-layer module's,
 * a step loop equal to the one-layer stack over the sequence (outputs and gradients), state-dict files, and errors
 * naming the cell, the expected and the got. (PyTorch parity itself: the cell cases in {@link TorchCaseGoldenTest}.)
 */
class RnnCellTest {
    @Test
    void parametersHavePyTorchCellNamesAndShapes() {
        RnnCell lstm = new RnnCell(RnnCellConfig.lstm(3, 5), new Rng(1));
        assertThat(lstm.parameters().keySet()).containsExactly("weight_ih", "weight_hh", "bias_ih", "bias_hh");
        assertThat(lstm.parameter("weight_ih").shape()).containsExactly(20, 3);
        assertThat(lstm.parameter("weight_hh").shape()).containsExactly(20, 5);
        assertThat(new RnnCell(RnnCellConfig.gru(3, 5).withBias(false), new Rng(1)).parameters().keySet())
                .containsExactly("weight_ih", "weight_hh");
        assertThat(RnnCellConfig.fromTorch("RNNCell", 3, 4, true, "relu").cell()).isEqualTo(CellType.RNN_RELU);
        assertThatThrownBy(() -> RnnCellConfig.fromTorch("RNNCell", 3, 4, true, "gelu"))
                .isInstanceOf(RecurException.class).hasMessageContaining("gelu");
        assertThatThrownBy(() -> RnnCellConfig.fromTorch("LSTM", 3, 4, true, null)).hasMessageContaining("LSTMCell");
        assertThatThrownBy(() -> RnnCellConfig.lstm(3, 0)).hasMessageContaining("hiddenSize");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void stepLoopIsTheOneLayerStackOverTheSequence(CellType type) {
        RnnCellConfig cfg = new RnnCellConfig(type, 4, 6, true);
        RnnCell cell = new RnnCell(cfg, new Rng(2));
        RnnLayer layer = new RnnLayer(cfg.layerConfig().withBatchFirst(false), new Rng(2));
        for (Map.Entry<String, Tensor> e : cell.parameters().entrySet()) {
            assertThat(layer.parameter(e.getKey() + "_l0").data()).containsExactly(e.getValue().data());
        }
        int steps = 5;
        int batch = 3;
        Tensor x = Tensor.randn(new Rng(3), 1f, steps, batch, 4);
        Tensor h0 = Tensor.randn(new Rng(4), 1f, batch, 6).requiresGrad(true);
        RnnOutput whole = layer.forward(x, new RnnState(Tensor.of(h0.data().clone(), 1, batch, 6),
                type.hasCellState() ? Tensor.zeros(1, batch, 6) : null));
        RnnCellState state = new RnnCellState(h0, type.hasCellState() ? Tensor.zeros(batch, 6) : null);
        float[] loss = Tensor.randn(new Rng(5), 1f, batch, 6).data();
        for (int t = 0; t < steps; t++) {
            float[] xt = Arrays.copyOfRange(x.data(), t * batch * 4, (t + 1) * batch * 4);
            state = cell.step(Tensor.of(xt, batch, 4), state);
            float[] want = Arrays.copyOfRange(whole.output().data(), t * batch * 6, (t + 1) * batch * 6);
            assertThat(state.h().data()).usingComparatorWithPrecision(1e-6f).containsExactly(want);
        }
        state.h().backward(loss);
        whole.state().h().backward(loss);
        assertThat(cell.parameter("weight_hh").grad().data()).usingComparatorWithPrecision(1e-5f)
                .containsExactly(layer.parameter("weight_hh_l0").grad().data());
    }

    @Test
    void stateDictRoundTripsAndErrorsNameTheFileAndShapes(@TempDir Path dir) throws Exception {
        RnnCell source = new RnnCell(RnnCellConfig.gru(3, 4), new Rng(1));
        Path file = dir.resolve("cell.safetensors");
        source.saveStateDict(file);
        RnnCell target = new RnnCell(RnnCellConfig.gru(3, 4), new Rng(2));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            target.loadStateDict(f);
        }
        assertThat(target.parameter("bias_hh").data()).containsExactly(source.parameter("bias_hh").data());

        Path wrong = dir.resolve("wrong.safetensors");
        new SafetensorsWriter().add("weight_ih", Tensor.zeros(12, 3)).add("weight_hh", Tensor.zeros(12, 5))
                .add("bias_ih", Tensor.zeros(12)).add("bias_hh", Tensor.zeros(12)).write(wrong);
        try (SafetensorsFile f = SafetensorsFile.open(wrong)) {
            assertThatThrownBy(() -> target.loadStateDict(f)).isInstanceOf(RecurException.class)
                    .hasMessageContaining("wrong.safetensors").hasMessageContaining("weight_hh")
                    .hasMessageContaining("[12, 4]").hasMessageContaining("[12, 5]");
        }
        Path layerNames = dir.resolve("layer.safetensors");
        new RnnLayer(RnnConfig.gru(3, 4), new Rng(1)).saveStateDict(layerNames);
        try (SafetensorsFile f = SafetensorsFile.open(layerNames)) {
            assertThatThrownBy(() -> target.loadStateDict(f)).hasMessageContaining("unexpected tensor")
                    .hasMessageContaining("_l0").hasMessageContaining("GRUCell(3, 4)");
        }
    }

    @Test
    void badStepsNameTheCellExpectedAndGot() {
        RnnCell lstm = new RnnCell(RnnCellConfig.lstm(3, 5), new Rng(1));
        assertThatThrownBy(() -> lstm.step(Tensor.zeros(2, 4), null)).isInstanceOf(RecurException.class)
                .hasMessageContaining("LSTMCell(3, 5)").hasMessageContaining("[batch, 3]")
                .hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> lstm.step(Tensor.zeros(2, 3), new RnnCellState(Tensor.zeros(2, 5), null)))
                .hasMessageContaining("cell tensor c [2, 5]");
        assertThatThrownBy(() -> lstm.step(Tensor.zeros(2, 3), lstm.zeroState(3))).hasMessageContaining("state h")
                .hasMessageContaining("[2, 5]").hasMessageContaining("[3, 5]");
        RnnCell gru = new RnnCell(RnnCellConfig.gru(3, 5), new Rng(1));
        assertThatThrownBy(() -> gru.step(Tensor.zeros(2, 3), lstm.zeroState(2))).hasMessageContaining("GRUCell")
                .hasMessageContaining("has none");
        assertThat(gru.step(Tensor.zeros(2, 3), null).h().shape()).containsExactly(2, 5);
    }
}
