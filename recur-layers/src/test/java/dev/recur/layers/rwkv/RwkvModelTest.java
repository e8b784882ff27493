package dev.recur.layers.rwkv;

import static dev.recur.layers.testing.TestTensors.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.ops.Arithmetic;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Model-level behaviour: inference rescaling leaves the function unchanged (up to LayerNorm's epsilon), a tied
 * head is the embedding matrix with both uses in its gradient, and wrong configs, weights or states fail with
 * messages that name the field, tensor or state entry, the expected and the got.
 */
class RwkvModelTest {
    @Test
    void rescalingHalvesTheStreamWithoutChangingTheFunction() {
        RwkvModel plain = RwkvTestModels.random(RwkvTestModels.small(0, false), 9);
        RwkvModel everyBlock = RwkvTestModels.copy(RwkvTestModels.small(1, false), plain.parameters());
        RwkvModel everyOther = RwkvTestModels.copy(RwkvTestModels.small(2, false), plain.parameters());
        IntTensor ids = TestTensors.ids(8, 13, 2, 21);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            Tensor expected = plain.forward(ids, null).logits();
            // LayerNorm(x / 2^k) differs from LayerNorm(x) only through epsilon = 1e-5.
            assertThat(relativeError(everyBlock.forward(ids, null).logits(), expected)).isLessThanOrEqualTo(1e-3);
            assertThat(relativeError(everyOther.forward(ids, null).logits(), expected)).isLessThanOrEqualTo(1e-3);
            // The carried shifts are taken after LayerNorm, so the halved stream leaves them (nearly) unchanged.
            LmState a = plain.forward(ids, null).state();
            LmState b = everyBlock.forward(ids, null).state();
            assertThat(relativeError(b.tensor(RwkvState.attentionShift(2)), a.tensor(RwkvState.attentionShift(2))))
                    .isLessThanOrEqualTo(1e-3);
        }
        assertThat(new RwkvConfig(5, 4, 4, 4, 7, 1e-5f, 3, false).rescaleExponent(6)).isEqualTo(2);
        assertThat(new RwkvConfig(5, 4, 4, 4, 7, 1e-5f, 3, false).halvesAfter(2)).isTrue();
        assertThat(new RwkvConfig(5, 4, 4, 4, 7, 1e-5f, 3, false).halvesAfter(3)).isFalse();
    }

    @Test
    void tiedHeadIsTheEmbeddingWithBothGradients() {
        RwkvModel untied = RwkvTestModels.random(RwkvTestModels.small(0, false), 10);
        Map<String, Tensor> values = new LinkedHashMap<>(untied.parameters());
        values.put("head.weight", values.get("rwkv.embeddings.weight"));
        RwkvModel sameHead = RwkvTestModels.copy(RwkvTestModels.small(0, false), values);
        RwkvModel tied = RwkvTestModels.copy(RwkvTestModels.small(0, true), values);
        assertThat(tied.parameters()).doesNotContainKey("head.weight").hasSize(untied.parameters().size() - 1);

        IntTensor ids = TestTensors.ids(11, 13, 2, 9);
        NextTokenLoss.of(sameHead.forward(ids, null).logits(), ids).backward();
        Tensor loss = NextTokenLoss.of(tied.forward(ids, null).logits(), ids);
        loss.backward();
        Tensor both = Arithmetic.add(sameHead.parameters().get("rwkv.embeddings.weight").grad(),
                sameHead.parameters().get("head.weight").grad());
        assertThat(relativeError(tied.parameters().get("rwkv.embeddings.weight").grad(), both))
                .isLessThanOrEqualTo(1e-5);
    }

    @Test
    void configErrorsNameTheField() {
        assertThatThrownBy(() -> RwkvConfig.from(HfConfig.of("cfg/config.json",
                Map.of("model_type", "rwkv", "vocab_size", 10, "num_hidden_layers", 2))))
                .isInstanceOf(RecurException.class).hasMessageContaining("cfg/config.json")
                .hasMessageContaining("hidden_size");
        Map<String, Object> zero = new HashMap<>(Map.of("vocab_size", 10, "hidden_size", 0, "num_hidden_layers", 2));
        assertThatThrownBy(() -> RwkvConfig.from(HfConfig.of("cfg/config.json", zero)))
                .isInstanceOf(RecurException.class).hasMessageContaining("hidden_size must be > 0, got 0");
        Map<String, Object> fraction = new HashMap<>(Map.of("vocab_size", 10, "hidden_size", 4.5,
                "num_hidden_layers", 2));
        assertThatThrownBy(() -> RwkvConfig.from(HfConfig.of("cfg/config.json", fraction)))
                .isInstanceOf(RecurException.class).hasMessageContaining("'hidden_size' expected an integer");
    }

    @Test
    void configDefaultsFollowTransformers() {
        RwkvConfig c = RwkvConfig.from(HfConfig.of("cfg/config.json",
                Map.of("vocab_size", 10, "hidden_size", 6, "num_hidden_layers", 2)));
        assertThat(c.attentionSize()).isEqualTo(6);
        assertThat(c.intermediateSize()).isEqualTo(24);
        assertThat(c.rescaleEvery()).isEqualTo(6);
        assertThat(c.tieWordEmbeddings()).isFalse();
        assertThat(c.layerNormEps()).isEqualTo(1e-5f);
    }

    @Test
    void weightsThatDoNotFitTheConfigGiveClearErrors() throws Exception {
        Path dir = RwkvGoldenTest.caseDir("rwkv");
        HfConfig narrow = HfConfig.of(dir + "/config.json", Map.of("model_type", "rwkv", "vocab_size", 61,
                "hidden_size", 16, "num_hidden_layers", 2, "rescale_every", 0));
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new RwkvArchitecture().build(narrow, weights))
                    .isInstanceOf(RecurException.class).hasMessageContaining("rwkv.embeddings.weight")
                    .hasMessageContaining("[61, 16]").hasMessageContaining("[61, 32]");
        }
        HfConfig shallow = HfConfig.of(dir + "/config.json", Map.of("model_type", "rwkv", "vocab_size", 61,
                "hidden_size", 32, "intermediate_size", 128, "num_hidden_layers", 1, "rescale_every", 0));
        try (HfWeights weights = HfWeights.open(dir)) {
            new RwkvArchitecture().build(shallow, weights);
            assertThatThrownBy(weights::requireAllTaken).isInstanceOf(RecurException.class)
                    .hasMessageContaining("does not use").hasMessageContaining("rwkv.blocks.1.");
        }
        HfConfig deep = HfConfig.of(dir + "/config.json", Map.of("model_type", "rwkv", "vocab_size", 61,
                "hidden_size", 32, "intermediate_size", 128, "num_hidden_layers", 3, "rescale_every", 0));
        try (HfWeights weights = HfWeights.open(dir)) {
            assertThatThrownBy(() -> new RwkvArchitecture().build(deep, weights))
                    .isInstanceOf(RecurException.class).hasMessageContaining("no tensor 'rwkv.blocks.2.ln1.weight'");
        }
    }

    @Test
    void stateOfAnotherShapeIsRejected() {
        RwkvModel model = RwkvTestModels.random(RwkvTestModels.small(0, false), 12);
        IntTensor ids = TestTensors.ids(13, 13, 2, 4);
        LmState forOne = model.initialState(1);
        assertThatThrownBy(() -> model.forward(ids, forOne)).isInstanceOf(RecurException.class)
                .hasMessageContaining("rwkv state").hasMessageContaining("expected shape [2, 8], got [1, 8]");
        LmState empty = new LmState(Map.of(), 0);
        assertThatThrownBy(() -> model.forward(ids, empty)).isInstanceOf(RecurException.class)
                .hasMessageContaining("blocks.0.feed_forward.shift");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 99}, 1, 2), null))
                .isInstanceOf(RecurException.class).hasMessageContaining("99");
    }
}
