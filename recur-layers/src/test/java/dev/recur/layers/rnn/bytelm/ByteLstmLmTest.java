package dev.recur.layers.rnn.bytelm;

import dev.recur.layers.lm.ModelFolder;
import dev.recur.layers.registry.ByteModel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfConfig;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LmOutput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteLstmLmTest {
    static final ByteLstmConfig CONFIG = new ByteLstmConfig(6, 10, 2, true, 1e-5f);

    @TempDir
    Path dir;

    static IntTensor randomIds(long seed, int batch, int steps) {
        Rng rng = new Rng(seed);
        int[] ids = new int[batch * steps];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = rng.nextInt(256);
        }
        return IntTensor.of(ids, batch, steps);
    }

    static IntTensor columns(IntTensor ids, int from, int to) {
        int b = ids.dim(0);
        int t = ids.dim(1);
        int[] out = new int[b * (to - from)];
        for (int r = 0; r < b; r++) {
            System.arraycopy(ids.data(), r * t + from, out, r * (to - from), to - from);
        }
        return IntTensor.of(out, b, to - from);
    }

    /** Logits of a forward split at {@code cut} with the state passed across, laid out as one forward's. */
    static float[] splitLogits(CausalLm lm, IntTensor ids, int cut) {
        int b = ids.dim(0);
        int t = ids.dim(1);
        LmOutput first = lm.forward(columns(ids, 0, cut), null);
        LmOutput second = lm.forward(columns(ids, cut, t), first.state());
        float[] out = new float[b * t * 256];
        for (int r = 0; r < b; r++) {
            System.arraycopy(first.logits().data(), r * cut * 256, out, r * t * 256, cut * 256);
            System.arraycopy(second.logits().data(), r * (t - cut) * 256, out, (r * t + cut) * 256, (t - cut) * 256);
        }
        assertThat(second.state().position()).isEqualTo(t);
        return out;
    }

    @Test
    void aForwardSplitAnywhereWithTheStatePassedEqualsOneForward() {
        CausalLm lm = ByteLstmLm.create(CONFIG, new Rng(1));
        IntTensor ids = randomIds(2, 3, 13);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            float[] whole = lm.forward(ids, null).logits().data();
            for (int cut : new int[] {1, 6, 12}) {
                float[] split = splitLogits(lm, ids, cut);
                for (int i = 0; i < whole.length; i++) {
                    assertThat(split[i]).as("cut %d, index %d", cut, i).isCloseTo(whole[i], within(1e-5f));
                }
            }
        }
    }

    @Test
    void aFolderWrittenByByteModelLoadsTheSameModel() throws IOException {
        CausalLm direct = ByteLstmLm.create(new ByteLstmConfig(64, 12, 1, true, 1e-5f), new Rng(7));
        CausalLm loaded = ByteModel.lstm(64, 12, 1).create(dir, new Rng(7));
        assertThat(loaded).isInstanceOf(ByteLstmLm.class);
        assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(direct.parameters().keySet())
                .containsExactly("embedding.weight", "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.bias_ih_l0",
                        "lstm.bias_hh_l0", "norm.weight", "head.weight", "head.bias");
        for (Map.Entry<String, Tensor> e : direct.parameters().entrySet()) {
            assertThat(loaded.parameters().get(e.getKey()).data()).as(e.getKey()).containsExactly(e.getValue().data());
            assertThat(loaded.parameters().get(e.getKey()).tracksGrad()).isTrue();
        }
        IntTensor ids = randomIds(3, 2, 5);
        assertThat(loaded.forward(ids, null).logits().data())
                .containsExactly(direct.forward(ids, null).logits().data());
    }

    @Test
    void everyParameterGetsAGradient() {
        CausalLm lm = ByteLstmLm.create(CONFIG, new Rng(4));
        Tensor loss = dev.recur.layers.lm.NextTokenLoss.of(lm.forward(randomIds(5, 2, 7), null).logits(),
                randomIds(5, 2, 7));
        loss.backward();
        lm.parameters().forEach((name, t) -> {
            assertThat(t.grad()).as(name).isNotNull();
            double norm = 0;
            for (float g : t.grad().data()) {
                norm += g * g;
            }
            assertThat(norm).as(name).isPositive();
        });
    }

    @Test
    void badConfigsAndCheckpointsNameTheFieldOrTensor() throws IOException {
        Map<String, Object> fields = new LinkedHashMap<>(CONFIG.toConfigFields());
        fields.put("vocab_size", 300);
        assertThatThrownBy(() -> ByteLstmConfig.fromHf(HfConfig.of("cfg.json", fields)))
                .isInstanceOf(RecurException.class).hasMessageContaining("'vocab_size' expected 256")
                .hasMessageContaining("300");
        assertThatThrownBy(() -> new ByteLstmConfig(6, 10, 0, true, 1e-5f)).isInstanceOf(RecurException.class)
                .hasMessageContaining("num_hidden_layers must be 1 to 8, got 0");

        Map<String, Tensor> weights = new LinkedHashMap<>(ByteLstmLm.create(CONFIG, new Rng(1)).parameters());
        weights.remove("head.bias");
        ModelFolder.write(dir, CONFIG.toConfigFields(), weights);
        assertThatThrownBy(() -> HfModels.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("no tensor 'head.bias'");

        IntTensor ids = randomIds(1, 2, 3);
        CausalLm lm = ByteLstmLm.create(CONFIG, new Rng(1));
        assertThatThrownBy(() -> lm.forward(ids, lm.initialState(3))).isInstanceOf(RecurException.class)
                .hasMessageContaining("lstm.h");
    }
}
