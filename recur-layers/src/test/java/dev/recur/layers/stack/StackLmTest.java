package dev.recur.layers.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.LmOutput;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.LmState;
import dev.recur.layers.testing.HfFolders;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stack saved to a folder loads back through {@link HfModels} to the same parameters and logits; bad configs are
 * named.
 */
class StackLmTest {
    private static final String SPEC = "(gla*2+attn(heads=2))+mamba+mamba2(chunk=4)+rat(chunk=4)+gdn+lstm";

    @Test
    void saveAndLoadGiveTheSameModel(@TempDir Path dir) throws Exception {
        StackLm model = StackLm.create(new StackConfig(LayerSpec.parse(SPEC), 23, 16, 5, 24, false, 1e-5f),
                new Rng(3));
        model.save(dir);
        CausalLm loaded = HfModels.load(dir);
        assertThat(loaded).isInstanceOf(StackLm.class);
        assertThat(loaded.modelType()).isEqualTo("recur_stack");
        assertThat(((StackLm) loaded).config()).isEqualTo(model.config());
        assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
        for (String name : model.parameters().keySet()) {
            assertThat(loaded.parameters().get(name).data()).as(name)
                    .containsExactly(model.parameters().get(name).data());
        }
        IntTensor ids = TestTensors.ids(1, 23, 2, 11);
        Tensor logits = model.forward(ids, null).logits();
        assertThat(logits.shape()).containsExactly(2, 11, 5);
        assertThat(loaded.forward(ids, null).logits().data()).containsExactly(logits.data());
    }

    /**
     * Each recurrent family's kind alone and beside attention: the folder reloads to the same parameters and logits.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"elman+attn(heads=2)", "s4d(state=8)*2", "rhn(depth=3)+attn(heads=2)", "qlstm*2",
        "leaky(tau=4)+attn(heads=2)", "rwkv*2", "lightnet(heads=2)*2+attn(heads=2)", "lightnet(conv=0)"})
    void recurrentKindsSaveAndLoad(String spec, @TempDir Path dir) throws Exception {
        StackLm model = StackLm.create(new StackConfig(LayerSpec.parse(spec), 17, 16, 7, 24, false, 1e-5f),
                new Rng(8));
        model.save(dir);
        StackLm loaded = (StackLm) HfModels.load(dir);
        assertThat(loaded.config()).isEqualTo(model.config());
        assertThat(loaded.parameters().keySet()).containsExactlyElementsOf(model.parameters().keySet());
        for (String name : model.parameters().keySet()) {
            assertThat(loaded.parameters().get(name).data()).as(name)
                    .containsExactly(model.parameters().get(name).data());
        }
        IntTensor ids = TestTensors.ids(4, 17, 2, 9);
        LmOutput expected = model.forward(ids, null);
        LmOutput got = loaded.forward(ids, null);
        assertThat(got.logits().data()).containsExactly(expected.logits().data());
        assertThat(got.state().tensors().keySet()).containsExactlyElementsOf(expected.state().tensors().keySet());
    }

    /** A bad option names the block, what it expects and what it got. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "s4d(state=7) | stack block 's4d(state=7)': state must be even (N/2 complex modes), got 7",
        "s4d(state=0) | stack block 's4d(state=0)': state must be >= 1, got 0",
        "rhn(depth=0) | stack block 'rhn(depth=0)': depth must be >= 1, got 0",
        "leaky(tau=1) | stack block 'leaky(tau=1)': tau must be >= 2 (a time constant above 1), got 1",
        "lightnet(heads=3) | stack block 'lightnet(heads=3)': heads must divide d_model 8, got 3",
        "lightnet(heads=0) | stack block 'lightnet(heads=0)': heads must divide d_model 8, got 0",
        "rwkv(heads=2) | layer spec 'rwkv(heads=2)': at position 6 ('heads'): 'rwkv' has no option 'heads' (it takes none)",
        "qlstm(depth=2) | 'qlstm' has no option 'depth' (it takes none)",
        "elman(heads=2) | 'elman' has no option 'heads' (it takes none)",
        "rhn(heads=2) | 'rhn' has no option 'heads' (options: depth)",
        "lightnet(state=2) | 'lightnet' has no option 'state' (options: heads, conv)",
    })
    void badOptionsOfRecurrentKindsAreNamed(String spec, String message) {
        assertThatThrownBy(() -> StackLm.create(StackConfig.of(spec, 10, 8, 0), new Rng(1)))
                .isInstanceOf(RecurException.class).hasMessageContaining(message);
    }

    @Test
    void tiedHeadIsTheEmbeddingAndRoundTrips(@TempDir Path dir) throws Exception {
        StackLm model = StackLm.create(new StackConfig(LayerSpec.parse("hgrn2,attn"), 13, 8, 13, 0, true, 1e-5f),
                new Rng(4));
        assertThat(model.parameters()).doesNotContainKey("head.weight").containsKey("embedding.weight");
        model.save(dir);
        IntTensor ids = TestTensors.ids(2, 13, 1, 6);
        assertThat(HfModels.load(dir).forward(ids, null).logits().data())
                .containsExactly(model.forward(ids, null).logits().data());
    }

    @Test
    void sameSeedSameBitsAndParameterCount() {
        StackConfig config = StackConfig.of("mamba2*3+attn", 31, 16, 32);
        StackLm a = StackLm.create(config, new Rng(9));
        StackLm b = StackLm.create(config, new Rng(9));
        IntTensor ids = TestTensors.ids(5, 31, 2, 9);
        assertThat(a.forward(ids, null).logits().data()).containsExactly(b.forward(ids, null).logits().data());
        long count = 0;
        for (Tensor t : a.parameters().values()) {
            count += t.size();
        }
        assertThat(a.parameterCount()).isEqualTo(count);
        assertThat(a.blocks()).hasSize(4);
    }

    @Test
    void jsonListSpecInConfigLoads(@TempDir Path dir) throws Exception {
        StackLm model = StackLm.create(StackConfig.of("deltanet,deltanet,attn(heads=2)", 11, 8, 0), new Rng(6));
        Map<String, Object> config = new java.util.LinkedHashMap<>(model.config().toConfigFields());
        config.put("layer_spec", List.of("deltanet*2", Map.of("kind", "attn", "heads", 2)));
        HfFolders.write(dir, config, model.parameters());
        StackLm loaded = (StackLm) HfModels.load(dir);
        assertThat(loaded.config().spec()).isEqualTo("deltanet,deltanet,attn(heads=2)");
    }

    @Test
    void badConfigsAndStatesAreNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> new StackConfig(LayerSpec.parse("gla"), 10, 8, 4, 0, true, 1e-5f))
                .isInstanceOf(RecurException.class).hasMessageContaining("a tied head needs output_size = vocab_size");
        assertThatThrownBy(() -> StackConfig.of("gla", 10, 0, 0)).hasMessageContaining("hidden_size must be >= 1");
        assertThatThrownBy(() -> StackLm.create(StackConfig.of("attn(heads=3)", 10, 8, 0), new Rng(1)))
                .hasMessageContaining("stack block 'attn(heads=3)': heads must divide d_model 8, got 3");
        Map<String, Object> config = new java.util.LinkedHashMap<>(StackConfig.of("gla", 10, 8, 0).toConfigFields());
        config.put("layer_spec", "gla*x");
        HfFolders.write(dir, config, Map.of());
        assertThatThrownBy(() -> HfModels.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("config.json: field 'layer_spec': layer spec 'gla*x': at position 5");

        config.put("layer_spec", "gla*3");
        HfFolders.write(dir, config, Map.of());
        assertThatThrownBy(() -> HfModels.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageContaining("field 'num_hidden_layers' expected 3 (the blocks of layer_spec 'gla,gla,gla'),"
                        + " got 1");

        StackLm model = StackLm.create(StackConfig.of("gla,mamba", 10, 8, 0), new Rng(2));
        LmState other = StackLm.create(StackConfig.of("gla,lstm", 10, 8, 0), new Rng(2)).initialState(1);
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 2}, 1, 2), other))
                .isInstanceOf(RecurException.class)
                .hasMessageContaining("stack block 'mamba' state: no tensor named 'conv' (has [h, c])");
        assertThatThrownBy(() -> model.forward(IntTensor.of(new int[] {1, 2}, 2, 1), model.initialState(1)))
                .isInstanceOf(RecurException.class).hasMessageContaining("stack block 'gla' state: 'recurrent' expected shape [2, 1, 8, 8], got [1, 1, 8, 8]");
    }
}
