package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.HostilePt;
import dev.recur.core.io.PtResources;
import dev.recur.core.io.PtWriter;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.random.Rng;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.stack.StackConfig;
import dev.recur.layers.stack.StackLm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands that read weights read {@code torch.save} files too: {@code recur verify} on a reference case whose
 * weights are {@code model.pt} (outputs and gradients computed by PyTorch), {@code recur score} on a folder with
 * {@code pytorch_model.bin} and ids in a {@code .pt}, {@code recur train --init} from such a folder with ids in a
 * {@code .pt} (the trained folder holds {@code model.safetensors}), {@code recur inspect}. Every hostile file exits
 * 2 with one line on stderr, also in a separate JVM limited to 64 MiB of heap.
 */
class TorchSaveFilesTest {
    @TempDir
    Path dir;

    private static final int VOCAB = 13;

    /** A small stack LM saved with its weights in pytorch_model.bin only; returns the model. */
    private StackLm torchFolder(Path folder) throws IOException {
        StackLm model = StackLm.create(StackConfig.of("gla,lstm", VOCAB, 8, 0), new Rng(5));
        model.save(folder);
        Files.delete(folder.resolve("model.safetensors"));
        PtWriter.write(folder.resolve("pytorch_model.bin"), model.parameters());
        return model;
    }

    @Test
    void verifyRunsACaseWhoseWeightsAreModelPt() {
        Path caseDir = PtResources.lstmCase(dir.resolve("lstm_pt"));
        CliRun r = CliRun.of("verify", caseDir.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("weight_hh_l1", "PASS: 14 of 14 tensors pass");
    }

    @Test
    void scoreReadsPytorchModelBinAndIdsFromAPtFile() throws IOException {
        Path folder = dir.resolve("model");
        StackLm model = torchFolder(folder);
        IntTensor ids = IntTensor.of(new int[] {1, 5, 12, 0, 7, 3, 3, 9}, 2, 4);
        Path input = dir.resolve("ids.pt");
        PtWriter.write(input, Map.of("input_ids", ids));
        Path output = dir.resolve("out.safetensors");
        CliRun r = CliRun.of("score", "--model", folder.toString(), "--input", input.toString(), "--output",
                output.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        Tensor expected = model.forward(ids, null).logits();
        try (SafetensorsFile out = SafetensorsFile.open(output)) {
            assertThat(out.info("logits").dtype()).isEqualTo(DType.F32);
            assertThat(out.readFloat("logits").data()).containsExactly(expected.data());
        }
    }

    @Test
    void trainInitFromPytorchModelBinWritesSafetensors() throws IOException {
        Path folder = dir.resolve("model");
        StackLm model = torchFolder(folder);
        int[] ids = new int[1000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 5 + i / 7) % VOCAB;
        }
        Path idsFile = dir.resolve("ids.pt");
        PtWriter.write(idsFile, Map.of("input_ids", IntTensor.of(ids, 1, ids.length)));
        Path out = dir.resolve("tuned");
        CliRun r = CliRun.of("train", "--threads", "1", "--init", folder.toString(), "--ids", idsFile.toString(),
                "--steps", "2", "--batch", "2", "--seq-len", "8", "--lr", "0.01", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(out.resolve("model.safetensors")).isRegularFile();
        assertThat(out.resolve("pytorch_model.bin")).doesNotExist();
        try (SafetensorsFile f = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(f.names()).containsExactlyInAnyOrderElementsOf(model.parameters().keySet());
            assertThat(f.metadata()).containsEntry("format", "pt");
        }
        CausalLm tuned = HfModels.load(out);
        String name = model.parameters().keySet().iterator().next();
        assertThat(tuned.parameters().get(name).shape()).containsExactly(model.parameters().get(name).shape());
        assertThat(tuned.parameters().get(name).data()).isNotEqualTo(model.parameters().get(name).data());
    }

    @Test
    void inspectDescribesAPtFileAndAFolderWithPytorchModelBin() throws IOException {
        Path file = PtResources.copy("views.pt", dir);
        CliRun r = CliRun.of("inspect", file.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("file: " + file + " (2067 bytes, a torch.save state dict)")
                .containsPattern("transposed +F32 +\\[4, 3\\] +48")
                .containsPattern("half_t +F16 +\\[3, 4\\] +24")
                .endsWith("total: 11 tensors, 77 parameters, 304 bytes" + System.lineSeparator());
        Path folder = dir.resolve("model");
        StackLm model = torchFolder(folder);
        CliRun f = CliRun.of("inspect", folder.toString());
        assertThat(f.exitCode()).as(f.err()).isZero();
        long parameters = model.parameters().values().stream().mapToLong(Tensor::size).sum();
        assertThat(f.out()).contains("file: " + folder.resolve("pytorch_model.bin"))
                .contains("total: " + model.parameters().size() + " tensors, " + parameters + " parameters");
    }

    static List<HostilePt.Case> hostile() {
        return HostilePt.cases();
    }

    /** A PyTorch-module case folder (an LSTM config, PyTorch's inputs) whose model.pt is {@code bytes}. */
    private Path caseWithModelPt(String name, byte[] bytes) throws IOException {
        Path caseDir = PtResources.lstmCase(dir.resolve(name));
        Files.write(caseDir.resolve("model.pt"), bytes);
        return caseDir;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void everyHostileFileExitsTwoWithOneLineInVerifyScoreAndInspect(HostilePt.Case c) throws IOException {
        Path caseDir = caseWithModelPt(c.name(), c.bytes());
        InspectCommandTest.assertOneLineError(CliRun.of("verify", caseDir.toString()), c.expectedMessage());
        Path input = dir.resolve(c.name() + ".pt");
        Files.write(input, c.bytes());
        InspectCommandTest.assertOneLineError(CliRun.of("score", "--model", dir.resolve("absent").toString(),
                "--input", input.toString(), "--output", dir.resolve("out.safetensors").toString()),
                c.expectedMessage());
        InspectCommandTest.assertOneLineError(CliRun.of("inspect", input.toString()), c.expectedMessage());
    }

    @Test
    void hostileFilesFailCleanlyInASmallSeparateJvm() throws Exception {
        Map<String, HostilePt.Case> byName = new java.util.HashMap<>();
        HostilePt.cases().forEach(c -> byName.put(c.name(), c));
        for (String name : List.of("zip-bomb", "broadcast-bomb", "huge-declared-shape", "huge-string")) {
            HostilePt.Case c = byName.get(name);
            Path caseDir = caseWithModelPt("jvm-" + name, c.bytes());
            assertOneLineInSmallJvm(c.expectedMessage(), "verify", caseDir.toString());
        }
        Path folder = dir.resolve("bomb-model");
        torchFolder(folder);
        HostilePt.Case bomb = byName.get("broadcast-bomb");
        Files.write(folder.resolve("pytorch_model.bin"), bomb.bytes());
        Path input = dir.resolve("ids.pt");
        PtWriter.write(input, Map.of("input_ids", IntTensor.of(new int[] {1, 2}, 1, 2)));
        assertOneLineInSmallJvm(bomb.expectedMessage(), "score", "--model", folder.toString(), "--input",
                input.toString(), "--output", dir.resolve("out.safetensors").toString());
        Path hugeInput = dir.resolve("huge.pt");
        Files.write(hugeInput, byName.get("huge-declared-shape").bytes());
        assertOneLineInSmallJvm(byName.get("huge-declared-shape").expectedMessage(), "score", "--model",
                folder.toString(), "--input", hugeInput.toString(), "--output",
                dir.resolve("o.safetensors").toString());
    }

    private static void assertOneLineInSmallJvm(String fragment, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "dev.recur.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertThat(code).as(err).isEqualTo(2);
        assertThat(lines).as(err).hasSize(1);
        assertThat(lines.get(0)).startsWith("recur: ").contains(fragment)
                .doesNotContain("Exception", "OutOfMemoryError");
    }
}
