package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config validation, PyTorch names, shapes and initialisation, state-dict loading and saving, input checks, dropout. */
class RnnLayerTest {
    @Test
    void configRejectsBadFieldsNamingThem() {
        assertThatThrownBy(() -> RnnConfig.lstm(0, 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("inputSize").hasMessageContaining("got 0");
        assertThatThrownBy(() -> RnnConfig.gru(3, -1)).hasMessageContaining("hiddenSize");
        assertThatThrownBy(() -> RnnConfig.rnn(3, 4).withLayers(0)).hasMessageContaining("numLayers");
        assertThatThrownBy(() -> RnnConfig.rnn(3, 4).withDropout(1f)).hasMessageContaining("dropout")
                .hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> RnnConfig.rnn(3, 4).withDropout(Float.NaN)).hasMessageContaining("dropout");
        assertThatThrownBy(() -> RnnConfig.fromTorch("RNN", 3, 4, 1, false, true, "sigmoid", 0f))
                .hasMessageContaining("nonlinearity").hasMessageContaining("sigmoid");
        assertThatThrownBy(() -> RnnConfig.fromTorch("Transformer", 3, 4, 1, false, true, null, 0f))
                .hasMessageContaining("module");
    }

    @Test
    void parametersHavePyTorchNamesShapesAndOrder() {
        RnnConfig cfg = RnnConfig.lstm(5, 7).withLayers(2).withBidirectional(true);
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        assertThat(layer.parameters().keySet()).containsExactly(
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse");
        assertThat(layer.parameter("weight_ih_l0").shape()).containsExactly(28, 5);
        assertThat(layer.parameter("weight_ih_l1_reverse").shape()).containsExactly(28, 14);
        assertThat(layer.parameter("weight_hh_l1").shape()).containsExactly(28, 7);
        assertThat(layer.parameter("bias_hh_l0").shape()).containsExactly(28);
        assertThat(new RnnLayer(RnnConfig.gru(3, 4).withBias(false), new Rng(1)).parameters().keySet())
                .containsExactly("weight_ih_l0", "weight_hh_l0");
    }

    @Test
    void initialisationIsPyTorchsUniformBoundAndSeeded() {
        RnnConfig cfg = RnnConfig.gru(10, 16);
        RnnLayer a = new RnnLayer(cfg, new Rng(5));
        RnnLayer b = new RnnLayer(cfg, new Rng(5));
        double bound = 1 / Math.sqrt(16);
        double max = 0;
        for (Map.Entry<String, Tensor> e : a.parameters().entrySet()) {
            for (float v : e.getValue().data()) {
                max = Math.max(max, Math.abs(v));
            }
            assertThat(e.getValue().data()).containsExactly(b.parameter(e.getKey()).data());
        }
        assertThat(max).isLessThanOrEqualTo(bound).isGreaterThan(0.9 * bound);
    }

    @Test
    void stateDictRoundTripsThroughSafetensors(@TempDir Path dir) throws Exception {
        RnnConfig cfg = RnnConfig.rnn(3, 4).withLayers(2);
        RnnLayer source = new RnnLayer(cfg, new Rng(1));
        Path file = dir.resolve("model.safetensors");
        source.saveStateDict(file);
        RnnLayer target = new RnnLayer(cfg, new Rng(2));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactlyInAnyOrderElementsOf(cfg.parameterNames());
            target.loadStateDict(f);
        }
        for (String name : cfg.parameterNames()) {
            assertThat(target.parameter(name).data()).containsExactly(source.parameter(name).data());
        }
    }

    @Test
    void stateDictErrorsNameTheTensorAndShapes(@TempDir Path dir) throws Exception {
        RnnConfig cfg = RnnConfig.lstm(3, 4);
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        Map<String, Tensor> good = new HashMap<>(layer.parameters());

        Map<String, Tensor> missing = new HashMap<>(good);
        missing.remove("bias_hh_l0");
        assertThatThrownBy(() -> layer.loadStateDict(missing)).hasMessageContaining("missing tensor 'bias_hh_l0'")
                .hasMessageContaining("[16]");

        Map<String, Tensor> extra = new HashMap<>(good);
        extra.put("weight_ih_l1", Tensor.zeros(16, 4));
        assertThatThrownBy(() -> layer.loadStateDict(extra)).hasMessageContaining("unexpected tensor 'weight_ih_l1'");

        Path file = dir.resolve("wrong.safetensors");
        SafetensorsWriter w = new SafetensorsWriter();
        good.forEach((k, v) -> w.add(k, k.equals("weight_hh_l0") ? Tensor.zeros(12, 4) : v));
        w.write(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThatThrownBy(() -> layer.loadStateDict(f)).isInstanceOf(RecurException.class)
                    .hasMessageContaining("wrong.safetensors").hasMessageContaining("weight_hh_l0")
                    .hasMessageContaining("[16, 4]").hasMessageContaining("[12, 4]");
        }
    }

    @Test
    void badInputsAndStatesNameTheLayerExpectedAndGot() {
        RnnLayer layer = new RnnLayer(RnnConfig.lstm(3, 4).withLayers(2), new Rng(1));
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 5, 4))).isInstanceOf(RecurException.class)
                .hasMessageContaining("LSTM(3, 4)").hasMessageContaining("[batch, seq, 3]")
                .hasMessageContaining("[2, 5, 4]");
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(5, 3))).hasMessageContaining("[5, 3]");
        RnnState wrongBatch = RnnState.zeros(layer.config(), 3);
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 5, 3), wrongBatch))
                .hasMessageContaining("[2, 2, 4]").hasMessageContaining("[2, 3, 4]");
        RnnState noCell = new RnnState(Tensor.zeros(2, 2, 4), null);
        assertThatThrownBy(() -> layer.forward(Tensor.zeros(2, 5, 3), noCell)).hasMessageContaining("cell");
        assertThatThrownBy(() -> layer.step(Tensor.zeros(2, 5, 3), null)).hasMessageContaining("[batch, 3]");
    }

    @Test
    void dropoutOnlyInTrainingAndDeterministicBySeed() {
        RnnConfig cfg = RnnConfig.lstm(3, 8).withLayers(3).withDropout(0.5f);
        RnnLayer layer = new RnnLayer(cfg, new Rng(1));
        RnnLayer plain = new RnnLayer(cfg.withDropout(0f), new Rng(1));
        Tensor x = Tensor.randn(new Rng(2), 1f, 2, 6, 3);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            float[] evalOut = layer.forward(x).output().data();
            assertThat(evalOut).containsExactly(plain.forward(x).output().data());
            float[] trainA = layer.train(new Rng(7)).forward(x).output().data();
            float[] trainB = layer.train(new Rng(7)).forward(x).output().data();
            float[] trainC = layer.train(new Rng(8)).forward(x).output().data();
            assertThat(trainA).containsExactly(trainB);
            assertThat(trainA).isNotEqualTo(evalOut);
            assertThat(trainA).isNotEqualTo(trainC);
            assertThat(layer.eval().isTraining()).isFalse();
        }
    }
}
