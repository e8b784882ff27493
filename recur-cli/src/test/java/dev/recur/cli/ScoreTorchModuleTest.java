package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur score} on a PyTorch module folder: run over a case's own inputs (time-major, projected,
 * variable-length; a cell; no initial state) it writes the case's expected {@code output}, {@code h_n} and
 * {@code c_n}; a bad {@code lengths} tensor or a missing {@code input} exits 2 with one line naming it.
 */
class ScoreTorchModuleTest {
    @TempDir
    Path tmp;

    private CliRun score(Path model, Path input) {
        return CliRun.of("score", "--model", model.toString(), "--input", input.toString(), "--output",
                tmp.resolve("out.safetensors").toString());
    }

    private void assertReproduces(String name, List<String> outputs) throws Exception {
        Path model = TorchCaseFolders.dir(name);
        Path inputs = tmp.resolve(name + "-in.safetensors");
        TorchCaseFolders.rewrite(model.resolve("io.safetensors"), inputs, List.of("input", "h0", "c0", "lengths"),
                null, t -> { });
        CliRun r = score(model, inputs);
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("output [");
        try (SafetensorsFile got = SafetensorsFile.open(tmp.resolve("out.safetensors"));
             SafetensorsFile expected = SafetensorsFile.open(model.resolve("io.safetensors"))) {
            assertThat(got.names()).containsExactlyInAnyOrderElementsOf(outputs);
            for (String out : outputs) {
                assertThat(got.info(out).dtype()).isEqualTo(DType.F32);
                assertThat(got.info(out).shape()).containsExactly(expected.info(out).shape());
                assertThat(ScoreCommandTest.relativeError(got.readFloat(out).data(), expected.readFloat(out).data()))
                        .as(name + " " + out).isLessThanOrEqualTo(1e-4);
            }
            assertThat(got.metadata()).containsKey("module");
        }
    }

    @Test
    void scoreReproducesModuleAndCellCases() throws Exception {
        assertReproduces("lstm_proj_lengths", List.of("output", "h_n", "c_n"));
        assertReproduces("gru_lengths", List.of("output", "h_n"));
        assertReproduces("rnn_relu", List.of("output", "h_n"));
        assertReproduces("lstm_cell", List.of("output"));
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
    void badLengthsExitTwoWithOneLine() throws Exception {
        Path model = TorchCaseFolders.dir("rnn_lengths"); // batch 3, seq 5
        Path in = tmp.resolve("in.safetensors");
        TorchCaseFolders.rewrite(model.resolve("io.safetensors"), in, List.of("input", "h0", "lengths"), null,
                t -> { });
        TorchCaseFolders.replaceLengths(in, w -> w.add("lengths", IntTensor.of(new int[] {5, 2}, 2), DType.I64));
        assertOneLineError(score(model, in), "'lengths'", "expected shape [3]", "[2]");
        TorchCaseFolders.replaceLengths(in, w -> w.add("lengths", IntTensor.of(new int[] {5, 0, 3}, 3), DType.I64));
        assertOneLineError(score(model, in), "lengths[1] = 0", "[1, 5]");
        TorchCaseFolders.replaceLengths(in, w -> w.add("lengths", IntTensor.of(new int[] {5, 2, 9}, 3), DType.I32));
        assertOneLineError(score(model, in), "lengths[2] = 9", "[1, 5]");
        TorchCaseFolders.replaceLengths(in, w -> w.add("lengths", Tensor.of(new float[] {5, 2, 3}, 3)));
        assertOneLineError(score(model, in), "'lengths'", "I64 or I32", "F32");
        TorchCaseFolders.replaceLengths(in, w -> w.add("lengths", IntTensor.of(new int[] {5, 2, 3, 1}, 2, 2),
                DType.I64));
        assertOneLineError(score(model, in), "'lengths'", "expected shape [3]", "[2, 2]");

        Path cellInput = tmp.resolve("cell.safetensors");
        TorchCaseFolders.rewrite(TorchCaseFolders.dir("gru_cell").resolve("io.safetensors"), cellInput,
                List.of("input"), null, t -> { });
        TorchCaseFolders.replaceLengths(cellInput, w -> w.add("lengths", IntTensor.of(new int[] {1, 1, 1}, 3),
                DType.I64));
        assertOneLineError(score(TorchCaseFolders.dir("gru_cell"), cellInput), "GRUCell", "one step at a time");
    }

    @Test
    void missingOrMisshapenInputExitsTwo() throws Exception {
        Path model = TorchCaseFolders.dir("gru_time_major");
        Path noInput = tmp.resolve("none.safetensors");
        TorchCaseFolders.rewrite(model.resolve("io.safetensors"), noInput, List.of("h0"), null, t -> { });
        assertOneLineError(score(model, noInput), "no tensor 'input'", "h0");
        Path wide = tmp.resolve("wide.safetensors");
        TorchCaseFolders.rewrite(TorchCaseFolders.dir("rnn_relu").resolve("io.safetensors"), wide,
                List.of("input"), null, t -> { });
        assertOneLineError(score(model, wide), "'input'", "[seq, batch, 3]");
    }
}
