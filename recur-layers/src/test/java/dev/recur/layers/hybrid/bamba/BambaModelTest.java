package dev.recur.layers.hybrid.bamba;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-level behaviour: config parsing (transformers' defaults, the fixed half-head rotary, errors naming the
 * field), a checkpoint folder written and read back through {@link HfModels}, a tied head holding both
 * gradients, pad-token lookups giving their row no gradient, and weights or states that do not fit failing with
 * messages that name the tensor or state entry, the expected and the got.
 */
class BambaModelTest {
    @Test
    void configDefaultsFollowTransformers() {
        Map<String, Object> m = new HashMap<>(Map.of("model_type", "bamba", "vocab_size", 50, "hidden_size", 64,
                "num_hidden_layers", 3, "num_attention_heads", 8, "mamba_n_heads", 16));
        BambaConfig c = BambaConfig.from(HfConfig.of("cfg/config.json", m));
        assertThat(c.attentionLayers()).isEmpty();
        assertThat(c.mlpSize()).isEqualTo(14336);
        assertThat(c.attention().kvHeads()).isEqualTo(8);
        assertThat(c.attention().headDim()).isEqualTo(8);
        assertThat(c.attention().rotaryDims()).isEqualTo(4);
        assertThat(c.attention().ropeTheta()).isEqualTo(10000.0);
        assertThat(c.mamba().intermediateSize()).isEqualTo(128);
        assertThat(c.mamba().headDim()).isEqualTo(8);
        assertThat(c.mamba().groups()).isEqualTo(1);
        assertThat(c.mamba().stateSize()).isEqualTo(256);
        assertThat(c.mamba().chunkSize()).isEqualTo(256);
        assertThat(c.mamba().useBias()).isFalse();
        assertThat(c.mamba().useConvBias()).isTrue();
        assertThat(c.mamba().timeStepMax()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(c.rmsNormEps()).isEqualTo(1e-5f);
        assertThat(c.activation()).isEqualTo("silu");
        assertThat(c.padTokenId()).isEqualTo(-1);
        assertThat(c.tieWordEmbeddings()).isFalse();

        m.put("attn_layer_indices", List.of(2, 0));
        m.put("mamba_d_head", "auto");
        m.put("rope_theta", 500.0);
        BambaConfig d = BambaConfig.from(HfConfig.of("cfg/config.json", m));
        assertThat(d.attentionLayers()).containsExactly(0, 2);
        assertThat(d.isAttention(1)).isFalse();
        assertThat(d.mamba().headDim()).isEqualTo(8);
        assertThat(d.attention().ropeTheta()).isEqualTo(500.0);

        m.put("rope_parameters", Map.of("rope_theta", 1000.0, "partial_rotary_factor", 1.0));
        BambaConfig full = BambaConfig.from(HfConfig.of("cfg/config.json", m));
        assertThat(full.attention().rotaryDims()).isEqualTo(8);
        assertThat(full.attention().ropeTheta()).isEqualTo(1000.0);
    }

    @Test
    void configErrorsNameTheField() {
        assertConfigError(m -> m.put("attn_layer_indices", List.of(1, 4)), "attn_layer_indices", "got 4");
        assertConfigError(m -> m.put("attn_layer_indices", List.of("one")), "attn_layer_indices", "integers");
        assertConfigError(m -> m.put("mamba_n_heads", 5), "mamba_n_heads", "32");
        assertConfigError(m -> m.put("mamba_d_head", 4), "mamba_d_head", "4 x 4");
        assertConfigError(m -> m.put("mamba_n_groups", 3), "mamba_n_groups", "mamba_n_groups=3");
        assertConfigError(m -> m.put("rope_parameters", Map.of("rope_type", "yarn")), "rope_type", "yarn");
        assertConfigError(m -> m.put("hidden_act", "mish"), "hidden_act", "mish");
        assertConfigError(m -> m.put("num_attention_heads", 3), "num_attention_heads", "hidden_size (16)");
        assertConfigError(m -> m.put("time_step_limit", List.of(0.5)), "time_step_limit", "[low, high]");
        assertConfigError(m -> m.put("rope_parameters", Map.of("partial_rotary_factor", 0.25)),
                "partial_rotary_factor", "4 x 0.25 = 1");
        assertConfigError(m -> m.put("partial_rotary_factor", 1.5), "partial_rotary_factor", "1.5");
    }

    private static void assertConfigError(Consumer<Map<String, Object>> change, String... parts) {
        Map<String, Object> m = BambaTestModels.fields();
        change.accept(m);
        var thrown = assertThatThrownBy(() -> BambaConfig.from(HfConfig.of("cfg/config.json", m)))
                .isInstanceOf(RecurException.class);
        for (String p : parts) {
            thrown.hasMessageContaining(p);
        }
    }

    @Test
    void checkpointFolderRoundTripsThroughHfModels(@TempDir Path dir) throws Exception {
        BambaModel model = BambaTestModels.random(BambaTestModels.small(), 21);
        IntTensor ids = TestTensors.ids(22, 19, 2, 9);
        SafetensorsWriter w = new SafetensorsWriter();
        model.parameters().forEach(w::add);
        w.write(dir.resolve("model.safetensors"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"bamba\", \"vocab_size\": 19, "
                + "\"hidden_size\": 16, \"intermediate_size\": 24, \"num_hidden_layers\": 4, "
                + "\"attn_layer_indices\": [1, 3], \"num_attention_heads\": 4, \"num_key_value_heads\": 2, "
                + "\"mamba_n_heads\": 4, \"mamba_d_head\": 8, \"mamba_d_state\": 5, \"mamba_n_groups\": 2, "
                + "\"mamba_expand\": 2, \"mamba_chunk_size\": 3, \"mamba_proj_bias\": true, \"pad_token_id\": 0, "
                + "\"time_step_limit\": [0.0, {\"__float__\": \"Infinity\"}], \"tie_word_embeddings\": false}");
        CausalLm loaded = HfModels.load(dir);
        assertThat(loaded).isInstanceOf(BambaModel.class);
        assertThat(loaded.modelType()).isEqualTo("bamba");
        assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertThat(loaded.forward(ids, null).logits().data())
                    .containsExactly(model.forward(ids, null).logits().data());
        }
    }

    @Test
    void tiedHeadIsTheEmbeddingWithBothGradients() {
        BambaModel untied = BambaTestModels.random(BambaTestModels.small(), 10);
        Map<String, Tensor> values = new LinkedHashMap<>(untied.parameters());
        values.put("lm_head.weight", values.get("model.embed_tokens.weight"));
        BambaModel sameHead = BambaTestModels.copy(BambaTestModels.small(), values);
        Map<String, Object> fields = BambaTestModels.fields();
        fields.put("tie_word_embeddings", true);
        BambaModel tied = BambaTestModels.copy(BambaConfig.from(HfConfig.of("tied", fields)), values);
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight").hasSize(untied.parameters().size() - 1);
        IntTensor ids = TestTensors.ids(11, 19, 2, 10);
        NextTokenLoss.of(sameHead.forward(ids, null).logits(), ids).backward();
        NextTokenLoss.of(tied.forward(ids, null).logits(), ids).backward();
        Tensor both = Arithmetic.add(sameHead.parameters().get("model.embed_tokens.weight").grad(),
                sameHead.parameters().get("lm_head.weight").grad());
        assertThat(relativeError(tied.parameters().get("model.embed_tokens.weight").grad(), both))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void padLookupsGiveTheirRowNoGradient() {
        BambaModel padded = BambaTestModels.random(BambaTestModels.small(), 14);
        Map<String, Object> fields = BambaTestModels.fields();
        fields.put("pad_token_id", -1);
        BambaModel plain = BambaTestModels.copy(BambaConfig.from(HfConfig.of("nopad", fields)), padded.parameters());
        IntTensor ids = IntTensor.of(new int[] {3, 0, 5, 0, 7, 1, 0, 2}, 2, 4);
        NextTokenLoss.of(padded.forward(ids, null).logits(), ids).backward();
        Tensor plainLogits = plain.forward(ids, null).logits();
        NextTokenLoss.of(plainLogits, ids).backward();
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            assertThat(padded.forward(ids, null).logits().data()).containsExactly(plainLogits.data());
        }
        float[] withPad = padded.parameters().get("model.embed_tokens.weight").grad().data();
        float[] without = plain.parameters().get("model.embed_tokens.weight").grad().data();
        int d = 16;
        for (int i = 0; i < d; i++) {
            assertThat(withPad[i]).as("pad row, column %d", i).isZero();
        }
        boolean plainPadRowMoves = false;
        for (int i = 0; i < d; i++) {
            plainPadRowMoves |= without[i] != 0f;
        }
        assertThat(plainPadRowMoves).as("without a pad id, row 0 gets its lookups' gradient").isTrue();
        assertThat(Arrays.copyOfRange(withPad, d, withPad.length))
                .containsExactly(Arrays.copyOfRange(without, d, without.length));
    }

    @Test
    void weightsThatDoNotFitTheConfigGiveClearErrors() throws Exception {
        Path dir = BambaGoldenTest.caseDir("bamba");
        HfConfig golden = HfConfig.read(dir.resolve("config.json"));
        assertThatThrownBy(() -> build(dir, golden, "mamba_d_state", 16)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.0.mamba.in_proj.weight")
                .hasMessageContaining("[168, 32]").hasMessageContaining("[152, 32]");
        assertThatThrownBy(() -> build(dir, golden, "attn_layer_indices", List.of())).isInstanceOf(RecurException.class)
                .hasMessageContaining("no tensor 'model.layers.1.mamba.in_proj.weight'");
        assertThatThrownBy(() -> build(dir, golden, "num_key_value_heads", 4)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.1.self_attn.k_proj.weight")
                .hasMessageContaining("[32, 32]").hasMessageContaining("[16, 32]");
        assertThatThrownBy(() -> build(dir, golden, "num_hidden_layers", 2)).isInstanceOf(RecurException.class)
                .hasMessageContaining("does not use").hasMessageContaining("model.layers.2.");
    }

    /** Builds the golden checkpoint under its config with one field changed, then requires every tensor taken. */
    private static CausalLm build(Path dir, HfConfig golden, String field, Object value) throws Exception {
        Map<String, Object> fields = new HashMap<>();
        for (String name : List.of("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                "attn_layer_indices", "num_attention_heads", "num_key_value_heads", "mamba_n_heads", "mamba_d_head",
                "mamba_d_state", "mamba_n_groups", "mamba_expand", "mamba_chunk_size", "rms_norm_eps",
                "rope_parameters", "tie_word_embeddings")) {
            fields.put(name, golden.raw(name));
        }
        fields.put(field, value);
        try (HfWeights weights = HfWeights.open(dir)) {
            CausalLm model = new BambaArchitecture().build(HfConfig.of(dir + "/config.json", fields), weights);
            weights.requireAllTaken();
            return model;
        }
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        BambaModel model = BambaTestModels.random(BambaTestModels.small(), 12);
        IntTensor ids = TestTensors.ids(13, 19, 2, 4);
        LmState forOne = model.initialState(1);
        assertThatThrownBy(() -> model.forward(ids, forOne)).isInstanceOf(RecurException.class)
                .hasMessageContaining("bamba state").hasMessageContaining("layers.0.conv")
                .hasMessageContaining("[2, 3, 52]").hasMessageContaining("[1, 3, 52]");
        LmState after3;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            after3 = model.forward(BambaTestModels.slice(ids, 0, 3), null).state();
        }
        LmState wrongPosition = new LmState(after3.tensors(), 2);
        assertThatThrownBy(() -> model.forward(BambaTestModels.slice(ids, 3, 4), wrongPosition))
                .isInstanceOf(RecurException.class).hasMessageContaining("layers.1.keys")
                .hasMessageContaining("[2, 2, 2, 4]").hasMessageContaining("[2, 2, 3, 4]");
        assertThatThrownBy(() -> model.forward(ids, new LmState(Map.of(), 0))).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.0.conv");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 99}, 1, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("bamba").hasMessageContaining("99");
        assertThatThrownBy(() -> model.initialState(0)).isInstanceOf(RecurException.class)
                .hasMessageContaining("batch must be > 0");
    }
}
