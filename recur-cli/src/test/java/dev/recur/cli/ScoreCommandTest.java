package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur score}: on the transformers Mamba reference case the written logits and loss reproduce
 * io.safetensors (I64 and I32 inputs alike); a missing {@code input_ids}, a wrong dtype or rank, an id outside
 * the vocabulary and a missing model exit 2 with a one-line message and no stack trace.
 */
class ScoreCommandTest {
    @TempDir
    Path dir;

    static double relativeError(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs((double) b[i]));
        }
        return diff / scale;
    }

    private void assertReproducesCase(Path model, Path input) throws Exception {
        Path output = dir.resolve("out-" + input.getFileName());
        CliRun r = CliRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", output.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        try (SafetensorsFile got = SafetensorsFile.open(output);
             SafetensorsFile expected = SafetensorsFile.open(model.resolve("io.safetensors"))) {
            assertThat(got.info("logits").dtype()).isEqualTo(DType.F32);
            assertThat(got.info("logits").shape()).containsExactly(expected.info("logits").shape());
            assertThat(got.info("loss").shape()).containsExactly(1L);
            assertThat(relativeError(got.readFloat("logits").data(), expected.readFloat("logits").data()))
                    .isLessThanOrEqualTo(1e-4);
            assertThat(relativeError(got.readFloat("loss").data(), expected.readFloat("loss").data()))
                    .isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void scoreReproducesTheMambaReferenceCase() throws Exception {
        Path model = CliRun.golden("mamba");
        assertReproducesCase(model, model.resolve("io.safetensors"));
        IntTensor ids;
        try (SafetensorsFile io = SafetensorsFile.open(model.resolve("io.safetensors"))) {
            ids = io.readInt("input_ids");
        }
        Path i32 = dir.resolve("i32.safetensors");
        new SafetensorsWriter().add("input_ids", ids, DType.I32).write(i32);
        assertReproducesCase(model, i32);
    }

    private CliRun score(Path model, Path input) {
        return CliRun.of("score", "--model", model.toString(), "--input", input.toString(),
                "--output", dir.resolve("out.safetensors").toString());
    }

    private static void assertOneLineError(CliRun r, String... fragments) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("recur: ").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
    }

    @Test
    void badInputFilesExitTwoWithOneLine() throws Exception {
        Path model = dir.resolve("no-model");
        Path missing = dir.resolve("missing.safetensors");
        new SafetensorsWriter().add("ids", IntTensor.of(new int[] {1, 2}, 1, 2), DType.I64).write(missing);
        assertOneLineError(score(model, missing), "no tensor 'input_ids'", "ids");
        Path floats = dir.resolve("floats.safetensors");
        new SafetensorsWriter().add("input_ids", Tensor.of(new float[] {1, 2}, 1, 2)).write(floats);
        assertOneLineError(score(model, floats), "expected dtype I64 or I32, got F32");
        Path bytes = dir.resolve("bytes.safetensors");
        new SafetensorsWriter().add("input_ids", IntTensor.of(new int[] {1, 2}, 1, 2), DType.U8).write(bytes);
        assertOneLineError(score(model, bytes), "expected dtype I64 or I32, got U8");
        Path rank1 = dir.resolve("rank1.safetensors");
        new SafetensorsWriter().add("input_ids", IntTensor.of(new int[] {1, 2, 3}, 3), DType.I64).write(rank1);
        assertOneLineError(score(model, rank1), "[batch, seqLen]", "[3]");
        Path good = dir.resolve("good.safetensors");
        new SafetensorsWriter().add("input_ids", IntTensor.of(new int[] {1, 2}, 1, 2), DType.I64).write(good);
        assertOneLineError(score(model, good), "no such file", "config.json");
        assertOneLineError(score(model, dir.resolve("absent.safetensors")), "no such file");
    }

    @Test
    void idOutsideTheVocabularyExitsTwoNamingThePosition() throws Exception {
        Path model = CliRun.golden("mamba");
        Path input = dir.resolve("oov.safetensors");
        new SafetensorsWriter().add("input_ids", IntTensor.of(new int[] {1, 2, 3, 61}, 2, 2), DType.I64)
                .write(input);
        assertOneLineError(score(model, input), "input_ids[1, 1] = 61", "[0, 61)");
    }

    @Test
    void missingOptionsExitTwo() {
        CliRun r = CliRun.of("score", "--model", "x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--input").doesNotContain("\tat ");
    }
}
