package dev.recur.layers.rnn.bytelm;

import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.registry.ByteModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer plans on the byte LSTM and the Mamba LM: the identity plan gives bit for bit the logits of no plan; a
 * skip/repeat plan equals a model of its own depth whose checkpoint holds the planned layers' weights in that
 * order (composed by renaming tensors, independently of the plan code); and under a plan, token-by-token runs
 * passing the state match the whole forward.
 */
class LayerPlanModelsTest {
    private static final IntTensor IDS = TestTensors.ids(11, 256, 2, 9);
    /** A per-layer tensor of either model: Mamba's {@code backbone.layers.3.x}, the LSTM's {@code lstm.x_l3}. */
    private static final Pattern PER_LAYER =
            Pattern.compile("(?:backbone\\.layers\\.|lstm\\.\\w+_l)(?<layer>\\d+)(?:\\..*)?");

    @TempDir
    Path dir;

    @Test
    void mambaIdentityPlanGivesTheSameLogits() throws Exception {
        CausalLm lm = model(ByteModel.mamba(16, 3, 4), null, "base");
        assertIdentity(lm, "0,1,2");
    }

    @Test
    void lstmIdentityPlanGivesTheSameLogits() throws Exception {
        CausalLm lm = model(ByteModel.lstm(8, 12, 3), null, "base");
        assertIdentity(lm, "repeat=1x1");
    }

    @Test
    void mambaPlanEqualsTheHandComposedModel() throws Exception {
        ByteModel kind = ByteModel.mamba(16, 3, 4);
        CausalLm lm = model(kind, null, "base");
        // Plan 0,2,2,1 = a four-layer model with layers (0, 2, 2, 1) of the trained weights.
        CausalLm reference = model(kind, new int[] {0, 2, 2, 1}, "composed");
        assertSameLogits(reference, lm, LayerPlan.parse("0,2,2,1"));
        CausalLm skipped = model(kind, new int[] {0, 2}, "skipped");
        assertSameLogits(skipped, lm, LayerPlan.parse("skip=1"));
    }

    @Test
    void lstmPlanEqualsTheHandComposedModel() throws Exception {
        ByteModel kind = ByteModel.lstm(8, 12, 3);
        CausalLm lm = model(kind, null, "base");
        CausalLm reference = model(kind, new int[] {0, 1, 1, 1, 2}, "composed");
        assertSameLogits(reference, lm, LayerPlan.parse("repeat=1x3"));
        CausalLm skipped = model(kind, new int[] {0, 2}, "skipped");
        assertSameLogits(skipped, lm, LayerPlan.parse("skip=1"));
    }

    @Test
    void stepsMatchTheForwardUnderAPlan() throws Exception {
        CausalLm mamba = LayerPlan.parse("skip=0;repeat=2x2").applyTo(model(ByteModel.mamba(16, 3, 4), null,
                "mamba"));
        new CausalLmParity("mamba under a plan", mamba, 1e-5).tokenByToken(IDS);
        new CausalLmParity("mamba under a plan", mamba, 1e-5).chunkedPrefill(IDS, new int[] {4});
        CausalLm lstm = LayerPlan.parse("0,2,2,1").applyTo(model(ByteModel.lstm(12, 12, 3), null, "lstm"));
        new CausalLmParity("lstm under a plan", lstm, 1e-5).tokenByToken(IDS);
        assertEquals(4, lstm.initialState(2).tensor("lstm.h").dim(0), "one state row per slot");
    }

    @Test
    void lstmLayerZeroMustReadTheEmbedding() throws Exception {
        CausalLm lm = model(ByteModel.lstm(8, 12, 3), null, "base");
        RecurException e = assertThrows(RecurException.class, () -> LayerPlan.parse("skip=0").applyTo(lm));
        assertTrue(e.getMessage().contains("slot 0 applies LSTM layer 1, which reads 12 features, but gets 8"),
                e.getMessage());
    }

    private void assertIdentity(CausalLm lm, String plan) {
        try (var scope = GradMode.noGrad()) {
            LmOutput plain = lm.forward(IDS, null);
            LmOutput planned = LayerPlan.parse(plan).applyTo(lm).forward(IDS, null);
            assertArrayEquals(plain.logits().data(), planned.logits().data(), "logits under " + plan);
            assertEquals(plain.state().tensors().keySet(), planned.state().tensors().keySet());
            for (String name : plain.state().tensors().keySet()) {
                assertArrayEquals(plain.state().tensor(name).data(), planned.state().tensor(name).data(), name);
            }
        }
    }

    private static void assertSameLogits(CausalLm reference, CausalLm lm, LayerPlan plan) {
        try (var scope = GradMode.noGrad()) {
            float[] want = reference.forward(IDS, null).logits().data();
            float[] got = plan.applyTo(lm).forward(IDS, null).logits().data();
            assertArrayEquals(want, got, "logits under plan " + plan);
        }
    }

    /**
     * The model {@code kind} draws from seed 5, or, given {@code order}, a model of {@code order.length} layers
     * whose layer {@code s} holds the seed-5 model's layer {@code order[s]} (its per-layer tensors renamed).
     */
    private CausalLm model(ByteModel kind, int[] order, String name) throws Exception {
        Map<String, Tensor> trained = kind.initialWeights(new Rng(5));
        Map<String, Object> config = new LinkedHashMap<>(kind.config());
        Map<String, Tensor> weights = new LinkedHashMap<>();
        if (order == null) {
            weights.putAll(trained);
        } else {
            config.put("num_hidden_layers", order.length);
            trained.forEach((key, t) -> {
                if (!PER_LAYER.matcher(key).matches()) {
                    weights.put(key, t);
                }
            });
            for (int s = 0; s < order.length; s++) {
                for (Map.Entry<String, Tensor> e : trained.entrySet()) {
                    Matcher m = PER_LAYER.matcher(e.getKey());
                    if (m.matches() && Integer.parseInt(m.group("layer")) == order[s]) {
                        String key = e.getKey();
                        String renamed = key.substring(0, m.start("layer")) + s + key.substring(m.end("layer"));
                        weights.put(renamed, e.getValue());
                    }
                }
            }
        }
        Path folder = dir.resolve(name);
        ModelFolder.write(folder, config, weights);
        return HfModels.load(folder);
    }
}
