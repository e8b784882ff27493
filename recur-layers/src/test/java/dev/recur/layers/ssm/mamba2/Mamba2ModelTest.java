package dev.recur.layers.ssm.mamba2;

import static dev.recur.layers.testing.TestTensors.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.testing.TestTensors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-level behaviour: config parsing (defaults, transformers' infinity encoding, errors naming the field), a
 * checkpoint folder written and read back (also under the older embedding name), step-size clamping changing
 * the function only where it bites, a tied head holding both gradients, and wrong weights or states failing with
 * messages that name the tensor or state entry, the expected and the got.
 */
class Mamba2ModelTest {
    private static Map<String, Object> sizes() {
        Map<String, Object> m = new HashMap<>();
        m.put("model_type", "mamba2");
        m.put("vocab_size", 17);
        m.put("hidden_size", 8);
        m.put("num_hidden_layers", 2);
        m.put("num_heads", 8);
        m.put("head_dim", 2);
        m.put("state_size", 5);
        return m;
    }

    @Test
    void configDefaultsFollowTransformers() {
        Mamba2Config c = Mamba2Config.from(HfConfig.of("cfg/config.json", sizes()));
        assertThat(c.intermediateSize()).isEqualTo(16);
        assertThat(c.groups()).isEqualTo(8);
        assertThat(c.convKernel()).isEqualTo(4);
        assertThat(c.chunkSize()).isEqualTo(256);
        assertThat(c.layerNormEps()).isEqualTo(1e-5f);
        assertThat(c.useBias()).isFalse();
        assertThat(c.useConvBias()).isTrue();
        assertThat(c.activation()).isEqualTo("silu");
        assertThat(c.timeStepMin()).isEqualTo(0.0);
        assertThat(c.timeStepMax()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(c.clampsTimeStep()).isFalse();
        assertThat(c.tieWordEmbeddings()).isFalse();
        assertThat(c.convDim()).isEqualTo(16 + 2 * 8 * 5);
        assertThat(c.projectionSize()).isEqualTo(16 + 16 + 80 + 8);
    }

    @Test
    void timeStepLimitReadsTransformersInfinity(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"model_type\": \"mamba2\", \"vocab_size\": 17, \"hidden_size\": 8, "
                + "\"num_hidden_layers\": 1, \"num_heads\": 4, \"head_dim\": 4, \"state_size\": 5, \"n_groups\": 2, "
                + "\"time_step_limit\": [0.001, {\"__float__\": \"Infinity\"}]}", StandardCharsets.UTF_8);
        Mamba2Config c = Mamba2Config.from(HfConfig.read(file));
        assertThat(c.timeStepMin()).isEqualTo(0.001);
        assertThat(c.timeStepMax()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(c.clampsTimeStep()).isTrue();
        Files.writeString(file, "{\"vocab_size\": 17, \"hidden_size\": 8, \"num_hidden_layers\": 1, "
                + "\"num_heads\": 4, \"head_dim\": 4, \"state_size\": 5, \"time_step_limit\": [0.0, \"soon\"]}");
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.read(file))).isInstanceOf(RecurException.class)
                .hasMessageContaining("config.json").hasMessageContaining("time_step_limit")
                .hasMessageContaining("soon");
    }

    @Test
    void configErrorsNameTheField() {
        Map<String, Object> missing = sizes();
        missing.remove("state_size");
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.of("cfg/config.json", missing)))
                .isInstanceOf(RecurException.class).hasMessageContaining("cfg/config.json")
                .hasMessageContaining("state_size");
        Map<String, Object> wrongHeads = sizes();
        wrongHeads.put("num_heads", 3);
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.of("cfg/config.json", wrongHeads)))
                .isInstanceOf(RecurException.class).hasMessageContaining("num_heads x head_dim")
                .hasMessageContaining("16").hasMessageContaining("3 x 2 = 6");
        Map<String, Object> groups = sizes();
        groups.put("n_groups", 3);
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.of("cfg/config.json", groups)))
                .isInstanceOf(RecurException.class).hasMessageContaining("n_groups=3");
        Map<String, Object> act = sizes();
        act.put("hidden_act", "mish");
        act.put("n_groups", 1);
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.of("cfg/config.json", act)))
                .isInstanceOf(RecurException.class).hasMessageContaining("hidden_act").hasMessageContaining("mish");
        Map<String, Object> limits = sizes();
        limits.put("n_groups", 1);
        limits.put("time_step_limit", List.of(0.5, 0.1));
        assertThatThrownBy(() -> Mamba2Config.from(HfConfig.of("cfg/config.json", limits)))
                .isInstanceOf(RecurException.class).hasMessageContaining("low <= high");
    }

    @Test
    void checkpointFolderRoundTripsThroughHfModels(@TempDir Path dir) throws Exception {
        Mamba2Config config = Mamba2TestModels.small(true, 0.0, Double.POSITIVE_INFINITY, false);
        Mamba2Model model = Mamba2TestModels.random(config, 21);
        IntTensor ids = TestTensors.ids(22, config.vocabSize(), 2, 9);
        for (boolean olderName : new boolean[] {false, true}) {
            Path folder = dir.resolve(olderName ? "older" : "current");
            Files.createDirectories(folder);
            SafetensorsWriter w = new SafetensorsWriter();
            model.parameters().forEach((name, t) -> w.add(olderName
                    ? name.replace("backbone.embeddings.", "backbone.embedding.") : name, t));
            w.write(folder.resolve("model.safetensors"));
            Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"mamba2\", \"vocab_size\": 17, "
                    + "\"hidden_size\": 8, \"num_hidden_layers\": 2, \"num_heads\": 4, \"head_dim\": 4, "
                    + "\"state_size\": 5, \"n_groups\": 2, \"chunk_size\": 3, \"use_bias\": true, "
                    + "\"tie_word_embeddings\": false}");
            CausalLm loaded = HfModels.load(folder);
            assertThat(loaded.modelType()).isEqualTo("mamba2");
            assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
            try (GradMode.Scope ignored = GradMode.noGrad()) {
                assertThat(loaded.forward(ids, null).logits().data())
                        .containsExactly(model.forward(ids, null).logits().data());
            }
        }
    }

    @Test
    void clampingTheStepChangesTheFunctionOnlyWhereItBites() {
        Mamba2Model open = Mamba2TestModels.random(Mamba2TestModels.small(), 30);
        Mamba2Model wide = Mamba2TestModels.copy(Mamba2TestModels.small(false, 1e-9, 1e9, false), open.parameters());
        Mamba2Model tight = Mamba2TestModels.copy(Mamba2TestModels.small(false, 0.2, 0.25, false), open.parameters());
        IntTensor ids = TestTensors.ids(31, 17, 2, 12);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor expected = open.forward(ids, null).logits();
            assertThat(wide.forward(ids, null).logits().data()).containsExactly(expected.data());
            assertThat(relativeError(tight.forward(ids, null).logits(), expected)).isGreaterThan(1e-3);
        }
    }

    @Test
    void tiedHeadIsTheEmbeddingWithBothGradients() {
        Mamba2Model untied = Mamba2TestModels.random(Mamba2TestModels.small(), 10);
        Map<String, Tensor> values = new LinkedHashMap<>(untied.parameters());
        values.put("lm_head.weight", values.get("backbone.embeddings.weight"));
        Mamba2Model sameHead = Mamba2TestModels.copy(Mamba2TestModels.small(), values);
        Mamba2Model tied = Mamba2TestModels.copy(Mamba2TestModels.small(false, 0.0, Double.POSITIVE_INFINITY, true),
                values);
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight").hasSize(untied.parameters().size() - 1);
        IntTensor ids = TestTensors.ids(11, 17, 2, 10);
        NextTokenLoss.of(sameHead.forward(ids, null).logits(), ids).backward();
        NextTokenLoss.of(tied.forward(ids, null).logits(), ids).backward();
        Tensor both = Arithmetic.add(sameHead.parameters().get("backbone.embeddings.weight").grad(),
                sameHead.parameters().get("lm_head.weight").grad());
        assertThat(relativeError(tied.parameters().get("backbone.embeddings.weight").grad(), both))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void weightsThatDoNotFitTheConfigGiveClearErrors() throws Exception {
        Path dir = Mamba2GoldenTest.caseDir("mamba2");
        Map<String, Object> base = new HashMap<>(Map.of("model_type", "mamba2", "vocab_size", 61, "hidden_size", 32,
                "num_hidden_layers", 2, "num_heads", 8, "head_dim", 8, "state_size", 8, "n_groups", 1,
                "tie_word_embeddings", true));
        Map<String, Object> wideState = new HashMap<>(base);
        wideState.put("state_size", 16);
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new Mamba2Architecture().build(HfConfig.of(dir + "/config.json", wideState),
                    weights)).isInstanceOf(RecurException.class)
                    .hasMessageContaining("backbone.layers.0.mixer.in_proj.weight")
                    .hasMessageContaining("[168, 32]").hasMessageContaining("[152, 32]");
        }
        Map<String, Object> shallow = new HashMap<>(base);
        shallow.put("num_hidden_layers", 1);
        try (HfWeights weights = HfWeights.open(dir)) {
            new Mamba2Architecture().build(HfConfig.of(dir + "/config.json", shallow), weights);
            assertThatThrownBy(weights::requireAllTaken).isInstanceOf(RecurException.class)
                    .hasMessageContaining("does not use").hasMessageContaining("backbone.layers.1.");
        }
        Map<String, Object> untied = new HashMap<>(base);
        untied.put("tie_word_embeddings", false);
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new Mamba2Architecture().build(HfConfig.of(dir + "/config.json", untied),
                    weights)).isInstanceOf(RecurException.class).hasMessageContaining("no tensor 'lm_head.weight'");
        }
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        Mamba2Model model = Mamba2TestModels.random(Mamba2TestModels.small(), 12);
        IntTensor ids = TestTensors.ids(13, 17, 2, 4);
        LmState forOne = model.initialState(1);
        assertThatThrownBy(() -> model.forward(ids, forOne)).isInstanceOf(RecurException.class)
                .hasMessageContaining("mamba2 state").hasMessageContaining("layers.0.conv")
                .hasMessageContaining("[2, 3, 36]").hasMessageContaining("[1, 3, 36]");
        LmState empty = new LmState(Map.of(), 0);
        assertThatThrownBy(() -> model.forward(ids, empty)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.0.conv");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 99}, 1, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> model.initialState(0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("batch must be > 0");
    }
}
