package dev.recur.layers.hybrid.qwen3next;

import static dev.recur.layers.hybrid.qwen3next.Qwen3NextTestModels.EXPERTS;
import static dev.recur.layers.hybrid.qwen3next.Qwen3NextTestModels.EXPERT_MLP;
import static dev.recur.layers.hybrid.qwen3next.Qwen3NextTestModels.HIDDEN;
import static dev.recur.layers.testing.TestTensors.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.testing.HfFolders;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading Qwen3-Next checkpoints: the layer layout follows {@code layer_types} (or the default of full attention
 * every fourth layer), {@code mlp_only_layers}, {@code decoder_sparse_step} and {@code num_experts}; rotary
 * settings come from {@code rope_parameters} or the top level; transformers 5's fused expert tensors give the same
 * model as one tensor per expert (logits and gradients); the head is tied or separate per
 * {@code tie_word_embeddings}; config, weight and state mismatches give one clear error naming the file, field,
 * tensor or state, the expected and the got.
 */
class Qwen3NextLoadTest {
    @TempDir
    Path dir;

    private static float[] logits(CausalLm model, IntTensor ids) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return model.forward(ids, null).logits().data();
        }
    }

    private static Qwen3NextConfig parse(Map<String, Object> fields) {
        return Qwen3NextConfig.fromHf(HfConfig.of("config.json", fields));
    }

    @Test
    void layoutFollowsLayerTypesAndSparseSettings() {
        Map<String, Object> fields = Qwen3NextTestModels.config();
        Qwen3NextConfig c = parse(fields);
        for (int i = 0; i < Qwen3NextTestModels.LAYERS; i++) {
            assertThat(c.isAttention(i)).as("attention at " + i).isEqualTo(Qwen3NextTestModels.isAttention(i));
            assertThat(c.isDense(i)).as("dense at " + i).isEqualTo(Qwen3NextTestModels.isDense(i));
        }
        assertThat(c.rotaryDims()).isEqualTo(2);
        assertThat(c.convChannels()).isEqualTo(Qwen3NextTestModels.CONV_CHANNELS);

        fields.remove("layer_types");
        fields.put("num_hidden_layers", 8);
        fields.put("mlp_only_layers", List.of());
        fields.put("decoder_sparse_step", 2);
        fields.remove("rope_parameters");
        fields.put("partial_rotary_factor", 0.5);
        c = parse(fields);
        assertThat(c.attention()).containsExactly(false, false, false, true, false, false, false, true);
        assertThat(c.denseMlp()).containsExactly(true, false, true, false, true, false, true, false);
        assertThat(c.rotaryDims()).isEqualTo(4);

        fields.put("num_experts", 0);
        assertThat(parse(fields).denseMlp()).containsOnly(true);
    }

    @Test
    void fusedExpertTensorsGiveTheSameModelAsOneTensorPerExpert() throws Exception {
        Map<String, Tensor> split = Qwen3NextTestModels.weights(3, false);
        Map<String, Tensor> fused = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : split.entrySet()) {
            if (!e.getKey().contains(".experts.")) {
                fused.put(e.getKey(), e.getValue());
            }
        }
        int block = EXPERT_MLP * HIDDEN;
        for (int layer : new int[] {0, 2, 4}) {
            String f = "model.layers." + layer + ".mlp.experts.";
            float[] gateUp = new float[EXPERTS * 2 * block];
            float[] down = new float[EXPERTS * block];
            for (int k = 0; k < EXPERTS; k++) {
                System.arraycopy(split.get(f + k + ".gate_proj.weight").data(), 0, gateUp, 2 * k * block, block);
                System.arraycopy(split.get(f + k + ".up_proj.weight").data(), 0, gateUp, (2 * k + 1) * block, block);
                System.arraycopy(split.get(f + k + ".down_proj.weight").data(), 0, down, k * block, block);
            }
            fused.put(f + "gate_up_proj", Tensor.of(gateUp, EXPERTS, 2 * EXPERT_MLP, HIDDEN));
            fused.put(f + "down_proj", Tensor.of(down, EXPERTS, HIDDEN, EXPERT_MLP));
        }
        Map<String, Object> config = Qwen3NextTestModels.config();
        CausalLm a = HfModels.load(HfFolders.write(dir.resolve("split"), config, split));
        CausalLm b = HfModels.load(HfFolders.write(dir.resolve("fused"), config, fused));
        IntTensor ids = Qwen3NextTestModels.ids(4, 2, 9);
        Tensor la = a.forward(ids, null).logits();
        Tensor lb = b.forward(ids, null).logits();
        assertThat(relativeError(lb.data(), la.data())).isLessThanOrEqualTo(1e-6);
        NextTokenLoss.of(la, ids).backward();
        NextTokenLoss.of(lb, ids).backward();
        String f = "model.layers.2.mlp.experts.";
        float[] fusedGrad = b.parameters().get(f + "gate_up_proj").grad().data();
        for (int k = 0; k < EXPERTS; k++) {
            float[] gate = a.parameters().get(f + k + ".gate_proj.weight").grad().data();
            float[] fromFused = new float[block];
            System.arraycopy(fusedGrad, 2 * k * block, fromFused, 0, block);
            assertThat(relativeError(fromFused, gate)).as("gate of expert " + k).isLessThanOrEqualTo(1e-5);
        }
        assertThat(relativeError(b.parameters().get("model.layers.2.mlp.shared_expert_gate.weight").grad().data(),
                a.parameters().get("model.layers.2.mlp.shared_expert_gate.weight").grad().data()))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void everyExpertOfTheTestModelReceivesTokens() throws Exception {
        CausalLm model = Qwen3NextTestModels.load(dir.resolve("m"), 7, false);
        IntTensor ids = Qwen3NextTestModels.ids(11, 3, 29);
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        // an expert that no token picks gets no gradient: the streaming tests would not exercise it
        for (int layer : new int[] {0, 2, 4}) {
            for (int k = 0; k < EXPERTS; k++) {
                String name = "model.layers." + layer + ".mlp.experts." + k + ".down_proj.weight";
                float largest = 0;
                for (float v : model.parameters().get(name).grad().data()) {
                    largest = Math.max(largest, Math.abs(v));
                }
                assertThat(largest).as("largest gradient of " + name).isGreaterThan(0f);
            }
        }
    }

    @Test
    void tiedHeadUsesTheEmbedding() throws Exception {
        Map<String, Object> config = Qwen3NextTestModels.config();
        Map<String, Tensor> w = Qwen3NextTestModels.weights(5, false);
        Tensor embedding = w.get("model.embed_tokens.weight");
        w.put("lm_head.weight", Tensor.of(embedding.data().clone(), embedding.shape()));
        CausalLm untied = HfModels.load(HfFolders.write(dir.resolve("untied"), config, w));
        config.put("tie_word_embeddings", true);
        w.remove("lm_head.weight");
        CausalLm tied = HfModels.load(HfFolders.write(dir.resolve("tied"), config, w));
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight");
        IntTensor ids = Qwen3NextTestModels.ids(2, 1, 6);
        assertThat(logits(tied, ids)).containsExactly(logits(untied, ids));
    }

    @Test
    void wrongWeightShapeNamesTensorExpectedAndGot() throws Exception {
        Map<String, Tensor> w = Qwen3NextTestModels.weights(1, false);
        w.put("model.layers.2.linear_attn.in_proj_ba.weight", Tensor.zeros(10, HIDDEN));
        Path p = HfFolders.write(dir.resolve("bad"), Qwen3NextTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.2.linear_attn.in_proj_ba.weight").hasMessageContaining("[12, 12]")
                .hasMessageContaining("[10, 12]");
    }

    @Test
    void configThatDisagreesWithTheWeightsIsReported() throws Exception {
        Map<String, Object> heads = Qwen3NextTestModels.config();
        heads.put("linear_num_value_heads", 4);
        heads.put("linear_value_head_dim", 4);
        Path p = HfFolders.write(dir.resolve("heads"), heads, Qwen3NextTestModels.weights(1, false));
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.0.linear_attn.");
        Map<String, Object> layout = Qwen3NextTestModels.config();
        layout.put("layer_types", List.of("full_attention", "full_attention", "linear_attention",
                "linear_attention", "full_attention"));
        Path q = HfFolders.write(dir.resolve("layout"), layout, Qwen3NextTestModels.weights(1, false));
        assertThatThrownBy(() -> HfModels.load(q)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.0.self_attn.");
    }

    @Test
    void missingSharedExpertGateIsNamed() throws Exception {
        Map<String, Tensor> w = Qwen3NextTestModels.weights(1, false);
        w.remove("model.layers.4.mlp.shared_expert_gate.weight");
        Path p = HfFolders.write(dir.resolve("missing"), Qwen3NextTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("has no tensor 'model.layers.4.mlp.shared_expert_gate.weight'");
    }

    @Test
    void unusedTensorIsReported() throws Exception {
        Map<String, Tensor> w = Qwen3NextTestModels.weights(1, false);
        w.put("model.layers.1.self_attn.rotary_emb.inv_freq", Tensor.zeros(1));
        Path p = HfFolders.write(dir.resolve("extra"), Qwen3NextTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("does not use").hasMessageContaining("rotary_emb.inv_freq");
    }

    @Test
    void invalidConfigNamesTheField() {
        Map<String, Object> types = Qwen3NextTestModels.config();
        types.put("layer_types", List.of("linear_attention", "full_attention", "mamba", "linear_attention",
                "full_attention"));
        assertThatThrownBy(() -> parse(types)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layer_types[2]").hasMessageContaining("mamba");
        Map<String, Object> count = Qwen3NextTestModels.config();
        count.put("num_hidden_layers", 4);
        assertThatThrownBy(() -> parse(count)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layer_types").hasMessageContaining("4").hasMessageContaining("5");
        Map<String, Object> heads = Qwen3NextTestModels.config();
        heads.put("linear_num_value_heads", 5);
        assertThatThrownBy(() -> parse(heads)).isInstanceOf(RecurException.class)
                .hasMessageContaining("linear_num_value_heads").hasMessageContaining("5");
        Map<String, Object> topK = Qwen3NextTestModels.config();
        topK.put("num_experts_per_tok", 4);
        assertThatThrownBy(() -> parse(topK)).isInstanceOf(RecurException.class)
                .hasMessageContaining("num_experts_per_tok");
        Map<String, Object> only = Qwen3NextTestModels.config();
        only.put("mlp_only_layers", List.of(1, 7));
        assertThatThrownBy(() -> parse(only)).isInstanceOf(RecurException.class)
                .hasMessageContaining("mlp_only_layers").hasMessageContaining("7");
        Map<String, Object> rope = Qwen3NextTestModels.config();
        rope.put("rope_parameters", Map.of("rope_type", "yarn", "rope_theta", 10000.0));
        assertThatThrownBy(() -> parse(rope)).isInstanceOf(RecurException.class)
                .hasMessageContaining("rope_type").hasMessageContaining("yarn");
        Map<String, Object> act = Qwen3NextTestModels.config();
        act.put("hidden_act", "gelu");
        assertThatThrownBy(() -> parse(act)).isInstanceOf(RecurException.class)
                .hasMessageContaining("hidden_act").hasMessageContaining("gelu");
    }

    @Test
    void stateOfAnotherBatchOrPositionIsRejected() throws Exception {
        CausalLm model = Qwen3NextTestModels.load(dir.resolve("state"), 1, false);
        IntTensor ids = Qwen3NextTestModels.ids(1, 2, 4);
        LmState afterFour = model.forward(ids, null).state();
        assertThatThrownBy(() -> model.forward(ids, model.initialState(3))).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.0.conv");
        LmState wrongPosition = new LmState(afterFour.tensors(), 3);
        assertThatThrownBy(() -> model.forward(ids, wrongPosition)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.1.keys").hasMessageContaining("[2, 2, 3, 8]")
                .hasMessageContaining("[2, 2, 4, 8]");
    }
}
