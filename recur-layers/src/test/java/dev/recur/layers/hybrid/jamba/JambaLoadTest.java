package dev.recur.layers.hybrid.jamba;

import static dev.recur.layers.hybrid.jamba.JambaTestModels.EXPERTS;
import static dev.recur.layers.hybrid.jamba.JambaTestModels.HIDDEN;
import static dev.recur.layers.hybrid.jamba.JambaTestModels.MLP;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading Jamba checkpoints: the layer layout follows the periods and offsets; transformers 5's fused expert
 * tensors give the same model as one tensor per expert (logits and gradients); the head is tied or separate per
 * {@code tie_word_embeddings}; config, weight and state mismatches give one clear error naming the file, field,
 * tensor or state, the expected and the got.
 */
class JambaLoadTest {
    @TempDir
    Path dir;

    private static float[] logits(CausalLm model, IntTensor ids) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return model.forward(ids, null).logits().data();
        }
    }

    @Test
    void layoutFollowsPeriodsAndOffsets() {
        Map<String, Object> fields = JambaTestModels.config();
        JambaConfig c = JambaConfig.fromHf(HfConfig.of("config.json", fields));
        assertThat(new boolean[] {c.isAttention(0), c.isAttention(1), c.isAttention(2), c.isAttention(3),
                c.isAttention(4)}).containsExactly(false, true, false, false, true);
        assertThat(new int[] {c.expertsAt(0), c.expertsAt(1), c.expertsAt(2), c.expertsAt(3), c.expertsAt(4)})
                .containsExactly(3, 1, 3, 1, 3);
        assertThat(c.mambaInner()).isEqualTo(JambaTestModels.INNER);
        assertThat(c.headDim()).isEqualTo(JambaTestModels.HEAD_DIM);
        fields.put("mamba_dt_rank", "auto");
        assertThat(JambaConfig.fromHf(HfConfig.of("config.json", fields)).mambaDtRank()).isEqualTo(1);
    }

    @Test
    void fusedExpertTensorsGiveTheSameModelAsOneTensorPerExpert() throws Exception {
        Map<String, Tensor> split = JambaTestModels.weights(3, false);
        Map<String, Tensor> fused = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : split.entrySet()) {
            if (!e.getKey().contains(".experts.")) {
                fused.put(e.getKey(), e.getValue());
            }
        }
        for (int layer = 0; layer < JambaTestModels.LAYERS; layer += 2) {
            String f = "model.layers." + layer + ".feed_forward.experts.";
            float[] gateUp = new float[EXPERTS * 2 * MLP * HIDDEN];
            float[] down = new float[EXPERTS * HIDDEN * MLP];
            int block = MLP * HIDDEN;
            for (int k = 0; k < EXPERTS; k++) {
                System.arraycopy(split.get(f + k + ".gate_proj.weight").data(), 0, gateUp, 2 * k * block, block);
                System.arraycopy(split.get(f + k + ".up_proj.weight").data(), 0, gateUp, (2 * k + 1) * block, block);
                System.arraycopy(split.get(f + k + ".down_proj.weight").data(), 0, down, k * block, block);
            }
            fused.put(f + "gate_up_proj", Tensor.of(gateUp, EXPERTS, 2 * MLP, HIDDEN));
            fused.put(f + "down_proj", Tensor.of(down, EXPERTS, HIDDEN, MLP));
        }
        CausalLm a = HfModels.load(HfFolders.write(dir.resolve("split"), JambaTestModels.config(), split));
        CausalLm b = HfModels.load(HfFolders.write(dir.resolve("fused"), JambaTestModels.config(), fused));
        IntTensor ids = JambaTestModels.ids(4, 2, 9);
        Tensor la = a.forward(ids, null).logits();
        Tensor lb = b.forward(ids, null).logits();
        assertThat(relativeError(lb.data(), la.data())).isLessThanOrEqualTo(1e-6);
        NextTokenLoss.of(la, ids).backward();
        NextTokenLoss.of(lb, ids).backward();
        String f = "model.layers.2.feed_forward.experts.";
        float[] fusedGrad = b.parameters().get(f + "gate_up_proj").grad().data();
        int block = MLP * HIDDEN;
        for (int k = 0; k < EXPERTS; k++) {
            float[] gate = a.parameters().get(f + k + ".gate_proj.weight").grad().data();
            float[] up = a.parameters().get(f + k + ".up_proj.weight").grad().data();
            float[] fromFusedGate = new float[block];
            float[] fromFusedUp = new float[block];
            System.arraycopy(fusedGrad, 2 * k * block, fromFusedGate, 0, block);
            System.arraycopy(fusedGrad, (2 * k + 1) * block, fromFusedUp, 0, block);
            assertThat(relativeError(fromFusedGate, gate)).as("gate of expert " + k).isLessThanOrEqualTo(1e-5);
            assertThat(relativeError(fromFusedUp, up)).as("up of expert " + k).isLessThanOrEqualTo(1e-5);
        }
        assertThat(relativeError(b.parameters().get("model.layers.2.feed_forward.router.weight").grad().data(),
                a.parameters().get("model.layers.2.feed_forward.router.weight").grad().data()))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void everyExpertOfTheTestModelReceivesTokens() throws Exception {
        CausalLm model = JambaTestModels.load(dir.resolve("m"), 7, false);
        float[] grads = new float[EXPERTS];
        IntTensor ids = JambaTestModels.ids(11, 3, 29);
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        for (int k = 0; k < EXPERTS; k++) {
            Tensor g = model.parameters().get("model.layers.0.feed_forward.experts." + k + ".down_proj.weight").grad();
            for (float v : g.data()) {
                grads[k] = Math.max(grads[k], Math.abs(v));
            }
        }
        // an expert that no token picks gets no gradient: the tests above would not exercise it
        for (int k = 0; k < EXPERTS; k++) {
            assertThat(grads[k]).as("largest gradient of expert " + k).isGreaterThan(0f);
        }
    }

    @Test
    void tiedHeadUsesTheEmbedding() throws Exception {
        Map<String, Object> config = JambaTestModels.config();
        Map<String, Tensor> w = JambaTestModels.weights(5, false);
        Tensor embedding = w.get("model.embed_tokens.weight");
        w.put("lm_head.weight", Tensor.of(embedding.data().clone(), embedding.shape()));
        CausalLm untied = HfModels.load(HfFolders.write(dir.resolve("untied"), config, w));
        config.put("tie_word_embeddings", true);
        w.remove("lm_head.weight");
        CausalLm tied = HfModels.load(HfFolders.write(dir.resolve("tied"), config, w));
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight");
        IntTensor ids = JambaTestModels.ids(2, 1, 6);
        assertThat(logits(tied, ids)).containsExactly(logits(untied, ids));
    }

    @Test
    void wrongWeightShapeNamesTensorExpectedAndGot() throws Exception {
        Map<String, Tensor> w = JambaTestModels.weights(1, false);
        w.put("model.layers.3.mamba.dt_layernorm.weight", Tensor.zeros(4));
        Path p = HfFolders.write(dir.resolve("bad"), JambaTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.3.mamba.dt_layernorm.weight").hasMessageContaining("[3]")
                .hasMessageContaining("[4]");
    }

    @Test
    void missingMixerNormIsNamed() throws Exception {
        Map<String, Tensor> w = JambaTestModels.weights(1, false);
        w.remove("model.layers.0.mamba.b_layernorm.weight");
        Path p = HfFolders.write(dir.resolve("missing"), JambaTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("has no tensor 'model.layers.0.mamba.b_layernorm.weight'");
    }

    @Test
    void layoutThatDisagreesWithTheWeightsIsReported() throws Exception {
        Map<String, Object> config = JambaTestModels.config();
        config.put("attn_layer_offset", 2);
        Path p = HfFolders.write(dir.resolve("layout"), config, JambaTestModels.weights(1, false));
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("model.layers.1.mamba.");
    }

    @Test
    void unusedTensorIsReported() throws Exception {
        Map<String, Tensor> w = JambaTestModels.weights(1, false);
        w.put("model.layers.1.self_attn.rotary_emb.inv_freq", Tensor.zeros(2));
        Path p = HfFolders.write(dir.resolve("extra"), JambaTestModels.config(), w);
        assertThatThrownBy(() -> HfModels.load(p)).isInstanceOf(RecurException.class)
                .hasMessageContaining("does not use").hasMessageContaining("rotary_emb.inv_freq");
    }

    @Test
    void invalidConfigNamesTheField() {
        Map<String, Object> config = JambaTestModels.config();
        config.put("expert_layer_offset", 2);
        assertThatThrownBy(() -> JambaConfig.fromHf(HfConfig.of("config.json", config)))
                .isInstanceOf(RecurException.class).hasMessageContaining("expert_layer_offset")
                .hasMessageContaining("2");
        Map<String, Object> topK = JambaTestModels.config();
        topK.put("num_experts_per_tok", 4);
        assertThatThrownBy(() -> JambaConfig.fromHf(HfConfig.of("config.json", topK)))
                .isInstanceOf(RecurException.class).hasMessageContaining("num_experts_per_tok");
        Map<String, Object> act = JambaTestModels.config();
        act.put("hidden_act", "gelu");
        assertThatThrownBy(() -> JambaConfig.fromHf(HfConfig.of("config.json", act)))
                .isInstanceOf(RecurException.class).hasMessageContaining("hidden_act").hasMessageContaining("gelu");
    }

    @Test
    void stateOfAnotherBatchOrPositionIsRejected() throws Exception {
        CausalLm model = JambaTestModels.load(dir.resolve("state"), 1, false);
        IntTensor ids = JambaTestModels.ids(1, 2, 4);
        LmState afterFour = model.forward(ids, null).state();
        assertThatThrownBy(() -> model.forward(ids, model.initialState(3))).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.0.conv");
        LmState wrongPosition = new LmState(afterFour.tensors(), 3);
        assertThatThrownBy(() -> model.forward(ids, wrongPosition)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.1.keys").hasMessageContaining("[2, 2, 3, 3]")
                .hasMessageContaining("[2, 2, 4, 3]");
    }
}
