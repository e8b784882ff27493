package dev.recur.layers.ssm.mamba;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading Mamba checkpoints: config and weight mismatches give one clear error naming the file, the field or
 * tensor, the expected and the got; the head is tied or separate per {@code tie_word_embeddings}; FalconMamba's
 * RMS normalisation of dt, B and C is applied (its output does not change when {@code x_proj} is scaled).
 */
class MambaLoadTest {
    @TempDir
    Path dir;

    private static float[] logits(CausalLm model, IntTensor ids) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            return model.forward(ids, null).logits().data();
        }
    }

    @Test
    void wrongWeightShapeNamesTensorExpectedAndGot() {
        Map<String, Object> config = MambaCheckpoints.config("mamba");
        Map<String, Tensor> w = MambaCheckpoints.weights(config, 1);
        w.put("backbone.layers.1.mixer.x_proj.weight", Tensor.zeros(7, MambaCheckpoints.INNER));
        assertThatThrownBy(() -> HfModels.load(HfFolders.write(dir, config, w)))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("backbone.layers.1.mixer.x_proj.weight")
                .hasMessageContaining("[13, 20]").hasMessageContaining("[7, 20]");
    }

    @Test
    void missingAndUnusedTensorsAreNamed() {
        Map<String, Object> config = MambaCheckpoints.config("mamba");
        Map<String, Tensor> w = MambaCheckpoints.weights(config, 1);
        w.remove("backbone.layers.0.mixer.D");
        assertThatThrownBy(() -> HfModels.load(HfFolders.write(dir.resolve("a"), config, w)))
                .isInstanceOf(RecurException.class).hasMessageContaining("no tensor 'backbone.layers.0.mixer.D'");
        Map<String, Tensor> extra = MambaCheckpoints.weights(config, 1);
        extra.put("backbone.layers.2.norm.weight", Tensor.zeros(MambaCheckpoints.HIDDEN));
        assertThatThrownBy(() -> HfModels.load(HfFolders.write(dir.resolve("b"), config, extra)))
                .isInstanceOf(RecurException.class).hasMessageContaining("does not use")
                .hasMessageContaining("backbone.layers.2.norm.weight");
    }

    @Test
    void badConfigFieldsNameTheField() {
        Map<String, Object> config = MambaCheckpoints.config("mamba");
        config.put("hidden_act", "gelu");
        assertThatThrownBy(() -> MambaConfig.fromHf(HfConfig.of("cfg.json", config)))
                .isInstanceOf(RecurException.class).hasMessageContaining("cfg.json")
                .hasMessageContaining("hidden_act").hasMessageContaining("gelu");
        config.put("hidden_act", "silu");
        config.put("state_size", 0);
        assertThatThrownBy(() -> MambaConfig.fromHf(HfConfig.of("cfg.json", config)))
                .isInstanceOf(RecurException.class).hasMessageContaining("state_size must be >= 1, got 0");
        config.put("state_size", 2.5);
        assertThatThrownBy(() -> MambaConfig.fromHf(HfConfig.of("cfg.json", config)))
                .isInstanceOf(RecurException.class).hasMessageContaining("'state_size' expected an integer, got 2.5");
        config.put("state_size", 5);
        config.remove("vocab_size");
        assertThatThrownBy(() -> MambaConfig.fromHf(HfConfig.of("cfg.json", config)))
                .isInstanceOf(RecurException.class).hasMessageContaining("missing field 'vocab_size'");
    }

    @Test
    void autoTimeStepRankAndExpandFollowTransformers() {
        Map<String, Object> config = MambaCheckpoints.config("mamba");
        config.put("hidden_size", 40);
        config.put("time_step_rank", "auto");
        config.remove("intermediate_size");
        config.put("expand", 3);
        MambaConfig c = MambaConfig.fromHf(HfConfig.of("cfg.json", config));
        assertThat(c.timeStepRank()).isEqualTo(3);
        assertThat(c.intermediateSize()).isEqualTo(120);
    }

    @Test
    void wrongStateAndIdsAreRejectedWithShapes() throws Exception {
        CausalLm model = MambaCheckpoints.load(dir, "mamba", 3);
        LmState two = model.initialState(2);
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 2, 3}, 1, 3), two))
                .isInstanceOf(RecurException.class).hasMessageContaining("layers.0.conv")
                .hasMessageContaining("[1, 3, 20]").hasMessageContaining("[2, 3, 20]");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, MambaCheckpoints.VOCAB}, 1, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining(String.valueOf(MambaCheckpoints.VOCAB));
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 2}, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("[batch, seqLen]");
    }

    @Test
    void tiedHeadIsTheEmbeddingAndCollectsBothGradients() throws Exception {
        CausalLm tied = MambaCheckpoints.load(dir, "mamba", 5);
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight");
        IntTensor ids = MambaStepTest.randomIds(new Rng(2), 2, 6);
        NextTokenLoss.of(tied.forward(ids, null).logits(), ids).backward();
        // The lookup reaches at most 12 of the 23 rows; the head use reaches every row.
        float[] g = tied.parameters().get("backbone.embeddings.weight").grad().data();
        int nonZeroRows = 0;
        for (int v = 0; v < MambaCheckpoints.VOCAB; v++) {
            boolean any = false;
            for (int j = 0; j < MambaCheckpoints.HIDDEN; j++) {
                any |= g[v * MambaCheckpoints.HIDDEN + j] != 0f;
            }
            nonZeroRows += any ? 1 : 0;
        }
        assertThat(nonZeroRows).isEqualTo(MambaCheckpoints.VOCAB);
    }

    @Test
    void untiedHeadIsItsOwnParameter() throws Exception {
        Map<String, Object> config = MambaCheckpoints.config("mamba");
        config.put("tie_word_embeddings", false);
        config.put("use_bias", true);
        CausalLm model = HfModels.load(HfFolders.write(dir, config, MambaCheckpoints.weights(config, 4)));
        assertThat(model.parameters()).containsKeys("lm_head.weight", "backbone.layers.0.mixer.in_proj.bias",
                "backbone.layers.1.mixer.out_proj.bias");
        IntTensor ids = MambaStepTest.randomIds(new Rng(3), 1, 5);
        NextTokenLoss.of(model.forward(ids, null).logits(), ids).backward();
        assertThat(model.parameters().get("lm_head.weight").grad()).isNotNull();
    }

    @Test
    void falconMambaNormalisesDtBAndCInsideTheMixer() throws Exception {
        IntTensor ids = MambaStepTest.randomIds(new Rng(9), 2, 8);
        for (String type : new String[] {"falcon_mamba", "mamba"}) {
            Map<String, Object> config = MambaCheckpoints.config(type);
            Map<String, Tensor> w = MambaCheckpoints.weights(config, 6);
            CausalLm plain = HfModels.load(HfFolders.write(dir.resolve(type + "1"), config, w));
            for (int i = 0; i < MambaCheckpoints.LAYERS; i++) {
                String name = "backbone.layers." + i + ".mixer.x_proj.weight";
                float[] scaled = w.get(name).data().clone();
                for (int j = 0; j < scaled.length; j++) {
                    scaled[j] *= 3f;
                }
                w.put(name, Tensor.of(scaled, w.get(name).shape()));
            }
            CausalLm scaled = HfModels.load(HfFolders.write(dir.resolve(type + "3"), config, w));
            assertThat(plain.modelType()).isEqualTo(type);
            double err = MambaStepTest.relativeError(logits(scaled, ids), logits(plain, ids));
            if (type.equals("falcon_mamba")) {
                assertThat(err).as(type).isLessThanOrEqualTo(1e-5);
            } else {
                assertThat(err).as(type).isGreaterThan(1e-2);
            }
        }
    }
}
