package dev.recur.layers.griffin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.griffin.RecurrentGemmaConfig.BlockType;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model-level behaviour: the config read as transformers reads it (defaults, block pattern, derived sizes, errors
 * that name the field), the bfloat16 embedding scale, PyTorch's padding-index gradient rule, and clear errors for
 * weights or states that do not fit.
 */
class RecurrentGemmaModelTest {
    private static Map<String, Object> minimal() {
        return new HashMap<>(Map.of("model_type", "recurrent_gemma", "vocab_size", 10, "hidden_size", 8,
                "num_attention_heads", 2, "num_hidden_layers", 5));
    }

    @Test
    void configDefaultsAndDerivedSizesFollowTransformers() {
        RecurrentGemmaConfig c = RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", minimal()));
        assertThat(c.blocks()).containsExactly(BlockType.RECURRENT, BlockType.RECURRENT, BlockType.ATTENTION,
                BlockType.RECURRENT, BlockType.RECURRENT);
        assertThat(c.mlpWidth()).isEqualTo(12); // intermediate_size 3 * 8, halved
        assertThat(c.lruWidth()).isEqualTo(8);
        assertThat(c.kvHeads()).isEqualTo(2);
        assertThat(c.headDim()).isEqualTo(4);
        assertThat(c.rotaryDims()).isEqualTo(2);
        assertThat(c.window()).isEqualTo(2048);
        assertThat(c.convWidth()).isEqualTo(4);
        assertThat(c.logitsSoftCap()).isEqualTo(30f);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
    }

    @Test
    void nestedRopeParametersAndBlockPatternAreRead() {
        Map<String, Object> m = minimal();
        m.put("rope_parameters", Map.of("rope_type", "default", "rope_theta", 500.0, "partial_rotary_factor", 1.0));
        m.put("block_types", List.of("attention", "recurrent"));
        RecurrentGemmaConfig c = RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", m));
        assertThat(c.ropeTheta()).isEqualTo(500.0);
        assertThat(c.rotaryDims()).isEqualTo(4);
        assertThat(c.blocks()).containsExactly(BlockType.ATTENTION, BlockType.RECURRENT, BlockType.ATTENTION,
                BlockType.RECURRENT, BlockType.ATTENTION);
    }

    @Test
    void configErrorsNameTheField() {
        Map<String, Object> badBlock = minimal();
        badBlock.put("block_types", List.of("recurrent", "mlp"));
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", badBlock)))
                .isInstanceOf(RecurException.class).hasMessageContaining("cfg/config.json")
                .hasMessageContaining("'mlp'");
        Map<String, Object> headDim = minimal();
        headDim.put("head_dim", 8);
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", headDim)))
                .isInstanceOf(RecurException.class).hasMessageContaining("head_dim 8");
        Map<String, Object> kv = minimal();
        kv.put("num_key_value_heads", 3);
        kv.put("num_attention_heads", 4);
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", kv)))
                .isInstanceOf(RecurException.class).hasMessageContaining("num_key_value_heads (3)");
        Map<String, Object> rope = minimal();
        rope.put("rope_parameters", Map.of("rope_type", "yarn"));
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", rope)))
                .isInstanceOf(RecurException.class).hasMessageContaining("rope_type 'yarn'");
        Map<String, Object> act = minimal();
        act.put("hidden_activation", "relu");
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", act)))
                .isInstanceOf(RecurException.class).hasMessageContaining("hidden_activation 'relu'");
        Map<String, Object> missing = new HashMap<>(minimal());
        missing.put("hidden_size", 7);
        assertThatThrownBy(() -> RecurrentGemmaConfig.from(HfConfig.of("cfg/config.json", missing)))
                .isInstanceOf(RecurException.class).hasMessageContaining("hidden_size (7)");
    }

    @Test
    void embeddingScaleIsSqrtHiddenRoundedToBfloat16() {
        // sqrt(32) = 5.65685...; bfloat16 keeps 8 significant bits: 5.65625 (= 181 / 32)
        assertThat(RecurrentGemmaModel.bfloat16((float) Math.sqrt(32))).isEqualTo(5.65625f);
        assertThat(RecurrentGemmaModel.bfloat16((float) Math.sqrt(2560))).isEqualTo(50.5f);
        assertThat(RecurrentGemmaModel.bfloat16(4f)).isEqualTo(4f);
    }

    @Test
    void padLookupsAddNoGradientToThePadRowButTheTiedHeadDoes() {
        RecurrentGemmaConfig config = RecurrentGemmaTestModels.small();
        RecurrentGemmaModel model = RecurrentGemmaTestModels.random(config, 21);
        RecurrentGemmaModel noPad = RecurrentGemmaTestModels.copy(withPad(config, -1), model.parameters());
        IntTensor ids = IntTensor.of(new int[] {3, 0, 5, 0, 7, 2}, 1, 6);
        Tensor logits = model.forward(ids, null).logits();
        Tensor reference = noPad.forward(ids, null).logits();
        assertThat(logits.data()).containsExactly(reference.data());
        NextTokenLoss.of(logits, ids).backward();
        NextTokenLoss.of(reference, ids).backward();
        int h = config.hiddenSize();
        float[] padded = model.parameters().get("model.embed_tokens.weight").grad().data();
        float[] plain = noPad.parameters().get("model.embed_tokens.weight").grad().data();
        // Rows other than the pad row get the same gradient; the pad row loses its lookups' share only.
        for (int row = 1; row < config.vocabSize(); row++) {
            for (int j = 0; j < h; j++) {
                assertThat(padded[row * h + j]).isEqualTo(plain[row * h + j]);
            }
        }
        boolean padRowDiffers = false;
        boolean padRowNonZero = false;
        for (int j = 0; j < h; j++) {
            padRowDiffers |= padded[j] != plain[j];
            padRowNonZero |= padded[j] != 0f;
        }
        assertThat(padRowDiffers).as("the pad row loses its lookups' gradient").isTrue();
        assertThat(padRowNonZero).as("the tied head still reaches the pad row").isTrue();
    }

    @Test
    void weightsThatDoNotFitTheConfigGiveClearErrors() throws Exception {
        Path dir = RecurrentGemmaGoldenTest.caseDir("recurrentgemma");
        Map<String, Object> narrow = new HashMap<>(Map.of("model_type", "recurrent_gemma", "vocab_size", 61,
                "hidden_size", 16, "num_attention_heads", 4, "num_hidden_layers", 3, "intermediate_size", 64));
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new RecurrentGemmaArchitecture().build(HfConfig.of(dir + "/config.json", narrow),
                    weights)).isInstanceOf(RecurException.class).hasMessageContaining("model.embed_tokens.weight")
                    .hasMessageContaining("[61, 16]").hasMessageContaining("[61, 32]");
        }
        Map<String, Object> shallow = new HashMap<>(Map.of("model_type", "recurrent_gemma", "vocab_size", 61,
                "hidden_size", 32, "num_attention_heads", 4, "num_key_value_heads", 1, "num_hidden_layers", 2,
                "intermediate_size", 64, "attention_window_size", 6));
        try (HfWeights weights = HfWeights.open(dir)) {
            new RecurrentGemmaArchitecture().build(HfConfig.of(dir + "/config.json", shallow), weights);
            assertThatThrownBy(weights::requireAllTaken).isInstanceOf(RecurException.class)
                    .hasMessageContaining("does not use").hasMessageContaining("model.layers.2.");
        }
        Map<String, Object> allRecurrent = new HashMap<>(shallow);
        allRecurrent.put("num_hidden_layers", 3);
        allRecurrent.put("block_types", List.of("recurrent"));
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new RecurrentGemmaArchitecture().build(HfConfig.of(dir + "/config.json",
                    allRecurrent), weights)).isInstanceOf(RecurException.class)
                    .hasMessageContaining("no tensor 'model.layers.2.temporal_block.rg_lru.recurrent_param'");
        }
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        RecurrentGemmaModel model = RecurrentGemmaTestModels.random(RecurrentGemmaTestModels.small(), 12);
        IntTensor ids = TestTensors.ids(13, 13, 2, 4);
        LmState forOne = model.initialState(1);
        assertThatThrownBy(() -> model.forward(ids, forOne)).isInstanceOf(RecurException.class)
                .hasMessageContaining("recurrent_gemma state").hasMessageContaining("expected shape [2, 2, 6], got [1, 2, 6]");
        LmState empty = new LmState(Map.of(), 0);
        assertThatThrownBy(() -> model.forward(ids, empty)).isInstanceOf(RecurException.class)
                .hasMessageContaining("layers.0.conv");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 99}, 1, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("99");
    }

    @Test
    void untiedHeadIsItsOwnParameter() {
        RecurrentGemmaConfig tiedConfig = RecurrentGemmaTestModels.small();
        RecurrentGemmaModel tied = RecurrentGemmaTestModels.random(tiedConfig, 41);
        RecurrentGemmaConfig c = tiedConfig;
        RecurrentGemmaConfig untiedConfig = new RecurrentGemmaConfig(c.vocabSize(), c.hiddenSize(), c.mlpWidth(),
                c.blocks(), c.lruWidth(), c.heads(), c.kvHeads(), c.headDim(), c.rotaryDims(), c.ropeTheta(),
                c.window(), c.convWidth(), c.rmsNormEps(), c.logitsSoftCap(), c.attentionBias(), c.exactGelu(),
                c.padTokenId(), false);
        Map<String, Tensor> values = new HashMap<>(tied.parameters());
        values.put("lm_head.weight", tied.parameters().get("model.embed_tokens.weight"));
        RecurrentGemmaModel untied = RecurrentGemmaTestModels.copy(untiedConfig, values);
        assertThat(untied.parameters()).containsKey("lm_head.weight");
        assertThat(tied.parameters()).doesNotContainKey("lm_head.weight");
        IntTensor ids = TestTensors.ids(42, 13, 2, 8);
        Tensor a = tied.forward(ids, null).logits();
        Tensor b = untied.forward(ids, null).logits();
        assertThat(b.data()).containsExactly(a.data());
        NextTokenLoss.of(a, ids).backward();
        NextTokenLoss.of(b, ids).backward();
        float[] both = untied.parameters().get("model.embed_tokens.weight").grad().data().clone();
        float[] headGrad = untied.parameters().get("lm_head.weight").grad().data();
        float[] tiedGrad = tied.parameters().get("model.embed_tokens.weight").grad().data();
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < both.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(both[i] + headGrad[i] - tiedGrad[i]));
            maxRef = Math.max(maxRef, Math.abs(tiedGrad[i]));
        }
        assertThat(maxDiff / maxRef).as("tied gradient = lookup part + head part").isLessThanOrEqualTo(1e-5);
    }

    private static RecurrentGemmaConfig withPad(RecurrentGemmaConfig c, int pad) {
        return new RecurrentGemmaConfig(c.vocabSize(), c.hiddenSize(), c.mlpWidth(), c.blocks(), c.lruWidth(),
                c.heads(), c.kvHeads(), c.headDim(), c.rotaryDims(), c.ropeTheta(), c.window(), c.convWidth(),
                c.rmsNormEps(), c.logitsSoftCap(), c.attentionBias(), c.exactGelu(), pad, c.tieWordEmbeddings());
    }
}
