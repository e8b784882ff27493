package dev.recur.layers.ssm.mamba;

import dev.recur.layers.registry.ByteModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.lm.NextTokenLoss;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MambaInitTest {
    @TempDir
    Path dir;

    @Test
    void followsTheMambaInitialisation() {
        ByteModel spec = ByteModel.mamba(32, 2, 8);
        MambaConfig c = MambaConfig.fromHf(HfConfig.of("test", spec.config()));
        Map<String, Tensor> w = MambaInit.weights(c, new Rng(3));
        int inner = 64;
        float[] aLog = w.get("backbone.layers.1.mixer.A_log").data();
        for (int d = 0; d < inner; d++) {
            for (int n = 0; n < 8; n++) {
                assertThat(aLog[d * 8 + n]).isCloseTo((float) Math.log(n + 1), within(1e-7f));
            }
        }
        assertThat(w.get("backbone.layers.0.mixer.D").data()).containsOnly(1f);
        for (float b : w.get("backbone.layers.0.mixer.dt_proj.bias").data()) {
            double dt = Math.log1p(Math.exp(b));
            assertThat(dt).isBetween(0.001 * (1 - 1e-5), 0.1 * (1 + 1e-5));
        }
        float outBound = (float) (1 / Math.sqrt(inner) / Math.sqrt(2));
        for (float v : w.get("backbone.layers.0.mixer.out_proj.weight").data()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(outBound);
        }
        assertThat(w).doesNotContainKey("lm_head.weight");
    }

    /** Small embeddings and a tied head give logits near 0 at the start: a loss near ln 256 = 5.545 nats. */
    @Test
    void aFreshByteMambaLoadsAndPredictsNearlyUniformly() throws IOException {
        CausalLm lm = ByteModel.mamba(32, 2, 8).create(dir, new Rng(5));
        assertThat(lm.modelType()).isEqualTo("mamba");
        assertThat(lm.vocabSize()).isEqualTo(256);
        int[] ids = new int[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "The sea was calm and the whale was near".charAt(i % 39);
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            IntTensor x = IntTensor.of(ids, 1, ids.length);
            double loss = NextTokenLoss.of(lm.forward(x, null).logits(), x).item();
            assertThat(loss).isCloseTo(Math.log(256), within(0.05));
        }
    }
}
