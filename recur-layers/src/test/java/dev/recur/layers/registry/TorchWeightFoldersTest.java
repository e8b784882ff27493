package dev.recur.layers.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.PtWriter;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.HfWeights;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import dev.recur.layers.testing.TestTensors;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model folder whose weights are a {@code torch.save} state dict ({@code pytorch_model.bin}, its shards under
 * {@code pytorch_model.bin.index.json}, or {@code model.pt}) loads through {@link HfModels} to the same logits as
 * the same weights in {@code model.safetensors}; safetensors wins when a folder holds both.
 */
class TorchWeightFoldersTest {
    @TempDir
    Path dir;

    private StackLm model;
    private Tensor expected;
    private final IntTensor ids = TestTensors.ids(4, 13, 2, 7);

    private Path saved() throws Exception {
        model = StackLm.create(StackConfig.of("gla,lstm", 13, 8, 0), new Rng(4));
        model.save(dir);
        expected = model.forward(ids, null).logits();
        Files.delete(dir.resolve("model.safetensors"));
        return dir;
    }

    private void assertSameLogits() throws Exception {
        CausalLm loaded = HfModels.load(dir);
        assertThat(loaded.forward(ids, null).logits().data()).containsExactly(expected.data());
    }

    @Test
    void pytorchModelBinLoads() throws Exception {
        PtWriter.write(saved().resolve("pytorch_model.bin"), model.parameters());
        assertThat(HfWeights.files(dir)).containsExactly("pytorch_model.bin");
        assertSameLogits();
    }

    @Test
    void modelPtLoads() throws Exception {
        PtWriter.write(saved().resolve("model.pt"), model.parameters());
        assertSameLogits();
    }

    @Test
    void shardedBinsLoadThroughTheirIndex() throws Exception {
        saved();
        Map<String, Tensor> first = new LinkedHashMap<>();
        Map<String, Tensor> second = new LinkedHashMap<>();
        StringBuilder map = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            boolean one = i++ % 2 == 0;
            (one ? first : second).put(e.getKey(), e.getValue());
            map.append(map.length() == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"pytorch_model-0000")
                    .append(one ? 1 : 2).append("-of-00002.bin\"");
        }
        PtWriter.write(dir.resolve("pytorch_model-00001-of-00002.bin"), first);
        PtWriter.write(dir.resolve("pytorch_model-00002-of-00002.bin"), second);
        Files.writeString(dir.resolve("pytorch_model.bin.index.json"), "{\"weight_map\":{" + map + "}}");
        assertThat(HfWeights.files(dir)).containsExactly("pytorch_model-00001-of-00002.bin",
                "pytorch_model-00002-of-00002.bin");
        assertSameLogits();
    }

    @Test
    void safetensorsWinsOverABrokenBin() throws Exception {
        model = StackLm.create(StackConfig.of("gla,lstm", 13, 8, 0), new Rng(4));
        model.save(dir);
        expected = model.forward(ids, null).logits();
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1, 2, 3});
        assertSameLogits();
    }

    @Test
    void aHostileBinIsNamedAndAMissingOneListsTheNamesTried() throws Exception {
        saved();
        Path bin = dir.resolve("pytorch_model.bin");
        Files.write(bin, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> HfModels.load(dir)).isInstanceOf(RecurException.class)
                .hasMessageStartingWith(bin + ": expected a torch.save zip archive");
        Files.delete(bin);
        assertThatThrownBy(() -> HfModels.load(dir)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("model.safetensors (nor " + String.join(", ", List.of(
                        "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json",
                        "model.pt")) + ")");
    }
}
