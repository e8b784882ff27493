package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.TensorInfo;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur train --init DIR --ids FILE} fine-tunes the golden transformers Mamba checkpoint: the output has the
 * input's config.json byte for byte and the same tensor names, shapes, dtypes and safetensors metadata (what
 * transformers needs to load it), loads with {@code HfModels.load}, and its weights moved; ids beyond the
 * checkpoint's vocabulary are refused with one line.
 */
class InitTrainCommandTest {
    static final Path GOLDEN_MAMBA = Path.of("/work/shared/golden/mamba");

    @TempDir
    Path dir;

    /** 800 ids below the golden model's vocabulary of 61, in a repeating pattern a model can pick up. */
    private Path ids() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 800; i++) {
            sb.append((i * 7 + i / 13) % 61).append(i % 20 == 19 ? '\n' : ' ');
        }
        return Files.writeString(dir.resolve("ids.txt"), sb.toString());
    }

    private static Map<String, TensorInfo> tensors(Path file) throws IOException {
        Map<String, TensorInfo> m = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                m.put(name, f.info(name));
            }
        }
        return m;
    }

    @Test
    void fineTuningTheGoldenMambaKeepsItsLayoutAndMovesItsWeights() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(GOLDEN_MAMBA.resolve("config.json")),
                "needs the golden reference cases at " + GOLDEN_MAMBA);
        Path out = dir.resolve("tuned");
        CliRun r = CliRun.of("train", "--threads", "1", "--init", GOLDEN_MAMBA.toString(), "--ids", ids().toString(),
                "--steps", "3", "--batch", "2", "--seq-len", "8", "--lr", "0.01", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("recur train: mamba from " + GOLDEN_MAMBA, "bits/token");
        assertThat(Files.readAllBytes(out.resolve("config.json")))
                .isEqualTo(Files.readAllBytes(GOLDEN_MAMBA.resolve("config.json")));
        Path before = GOLDEN_MAMBA.resolve("model.safetensors");
        Path after = out.resolve("model.safetensors");
        Map<String, TensorInfo> in = tensors(before);
        Map<String, TensorInfo> got = tensors(after);
        assertThat(got.keySet()).containsExactlyInAnyOrderElementsOf(in.keySet());
        for (String name : in.keySet()) {
            assertThat(got.get(name).dtype()).as(name).isEqualTo(in.get(name).dtype());
            assertThat(got.get(name).shape()).as(name).containsExactly(in.get(name).shape());
        }
        try (SafetensorsFile a = SafetensorsFile.open(before); SafetensorsFile b = SafetensorsFile.open(after)) {
            assertThat(b.metadata()).isEqualTo(a.metadata());
            assertThat(b.readFloat("backbone.layers.0.mixer.in_proj.weight").data())
                    .isNotEqualTo(a.readFloat("backbone.layers.0.mixer.in_proj.weight").data());
        }
        CausalLm loaded = HfModels.load(out);
        assertThat(loaded.modelType()).isEqualTo("mamba");
        assertThat(loaded.vocabSize()).isEqualTo(61);
    }

    @Test
    void idsOutsideTheVocabularyAndMissingIdsAreRefused() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(GOLDEN_MAMBA.resolve("config.json")),
                "needs the golden reference cases at " + GOLDEN_MAMBA);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "1 2 61 3");
        TaskRunCommandTest.assertMistake(CliRun.of("train", "--init", GOLDEN_MAMBA.toString(), "--ids",
                bad.toString(), "--steps", "3", "--out", dir.resolve("a").toString()),
                "bad.txt: token 2: id 61 is outside the model's vocabulary [0, 61)");
        TaskRunCommandTest.assertMistake(CliRun.of("train", "--init", GOLDEN_MAMBA.toString(), "--steps", "3",
                "--out", dir.resolve("b").toString()), "give the training token ids with --ids FILE");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
