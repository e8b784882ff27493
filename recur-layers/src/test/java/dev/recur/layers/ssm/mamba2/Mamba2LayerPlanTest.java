package dev.recur.layers.ssm.mamba2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LayerPlan;
import dev.recur.layers.testing.CausalLmParity;
import dev.recur.layers.testing.TestTensors;
import org.junit.jupiter.api.Test;

/**
 * Layer plans on Mamba-2: the identity plan gives bit for bit the logits of no plan; plan {@code 1,0,0} equals
 * a three-layer model built from the same weights with layer 1's tensors under layer 0's names and layer 0's
 * under layers 1 and 2; and under a plan token-by-token runs match the whole forward.
 */
class Mamba2LayerPlanTest {
    private static final Mamba2Config CONFIG = Mamba2TestModels.small();
    private static final IntTensor IDS = TestTensors.ids(3, CONFIG.vocabSize(), 2, 11);

    @Test
    void identityPlanGivesTheSameLogits() {
        Mamba2Model model = Mamba2TestModels.random(CONFIG, 5);
        try (var scope = GradMode.noGrad()) {
            assertArrayEquals(model.forward(IDS, null).logits().data(),
                    LayerPlan.parse("0,1").applyTo(model).forward(IDS, null).logits().data());
        }
    }

    @Test
    void planEqualsTheHandComposedModel() {
        Mamba2Model model = Mamba2TestModels.random(CONFIG, 5);
        Mamba2Config three = new Mamba2Config(CONFIG.vocabSize(), CONFIG.hiddenSize(), 3, CONFIG.heads(),
                CONFIG.headDim(), CONFIG.stateSize(), CONFIG.groups(), CONFIG.intermediateSize(),
                CONFIG.convKernel(), CONFIG.chunkSize(), CONFIG.layerNormEps(), CONFIG.useBias(),
                CONFIG.useConvBias(), CONFIG.activation(), CONFIG.timeStepMin(), CONFIG.timeStepMax(),
                CONFIG.tieWordEmbeddings());
        int[] order = {1, 0, 0};
        Rng rng = new Rng(5);
        Mamba2Model composed = new Mamba2Model(three, (name, shape) -> {
            String source = name;
            for (int s = 0; s < order.length; s++) {
                String slot = "backbone.layers." + s + ".";
                if (name.startsWith(slot)) {
                    source = "backbone.layers." + order[s] + "." + name.substring(slot.length());
                }
            }
            return Mamba2TestModels.make(rng.derive(source.hashCode()), source, shape);
        });
        try (var scope = GradMode.noGrad()) {
            assertArrayEquals(composed.forward(IDS, null).logits().data(),
                    LayerPlan.parse("1,0,0").applyTo(model).forward(IDS, null).logits().data());
        }
    }

    @Test
    void stepsMatchTheForwardUnderAPlan() {
        CausalLm planned = LayerPlan.parse("repeat=1x3").applyTo(Mamba2TestModels.random(CONFIG, 5));
        new CausalLmParity("mamba2 under a plan", planned, 1e-5).tokenByToken(IDS);
    }
}
