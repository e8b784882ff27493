package dev.recur.layers.rnn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PyTorch parity for the whole recurrent API: every case that {@code docs/reference_cases.py} wrote with PyTorch
 * into the test resources (projections, ReLU, time-major inputs, variable lengths, cells) is reproduced within
 * the verify tolerances (1e-4 outputs, 1e-3 gradients), every output and every gradient in the case compared by
 * name. A copy with one expected tensor or one weight altered fails.
 */
class TorchCaseGoldenTest {
    static Stream<String> cases() {
        return TorchCases.names().stream();
    }

    @Test
    void everyFeatureHasACase() {
        assertThat(TorchCases.names()).contains("lstm_proj", "lstm_proj_bidir", "rnn_relu", "gru_time_major",
                "lstm_lengths_bidir", "lstm_proj_lengths", "gru_lengths", "rnn_lengths", "lstm_cell", "gru_cell",
                "rnn_cell_relu", "rnn_cell_tanh");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesPyTorch(String name) throws Exception {
        Path dir = TorchCases.dir(name);
        TorchRnnCase c = TorchRnnCase.load(dir);
        List<TorchRnnCase.Pair> pairs = c.run();
        List<String> compared = new ArrayList<>();
        for (TorchRnnCase.Pair p : pairs) {
            compared.add((p.gradient() ? "grad " : "") + p.name());
        }
        List<String> expected = new ArrayList<>();
        for (String output : List.of("output", "h_n", "c_n")) {
            if (TorchCases.tensorNames(dir.resolve("io.safetensors")).contains(output)) {
                expected.add(output);
            }
        }
        for (String grad : TorchCases.tensorNames(dir.resolve("grads.safetensors"))) {
            expected.add("grad " + grad);
        }
        assertThat(compared).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(compared).contains("grad input").anyMatch(n -> n.startsWith("grad weight_hh"));
        assertThat(TorchCases.failures(pairs)).as(name).isEmpty();
    }

    @Test
    void variableLengthCasesHavePaddingAndZeroOutputsThere() throws Exception {
        Path file = TorchCases.dir("lstm_lengths_bidir").resolve("io.safetensors");
        try (SafetensorsFile io = SafetensorsFile.open(file)) {
            assertThat(io.info("lengths").dtype()).isEqualTo(DType.I64);
            assertThat(io.readInt("lengths").data()).containsExactly(3, 5, 1, 4);
            Tensor out = io.readFloat("output"); // [B=4, T=5, 8]: row 2 has one step
            for (int t = 1; t < 5; t++) {
                for (int k = 0; k < 8; k++) {
                    assertThat(out.get(2, t, k)).isZero();
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyCaseFailsWithItsOutputAltered(String name, @TempDir Path tmp) throws Exception {
        Path copy = copyCase(name, tmp);
        rewrite(copy.resolve("io.safetensors"), "output", t -> t.data()[t.size() / 2] += 0.05f);
        assertThat(TorchCases.failures(TorchRnnCase.load(copy).run())).anyMatch(f -> f.startsWith("output "));
    }

    @Test
    void alteredExpectedOutputFails(@TempDir Path tmp) throws Exception {
        Path copy = copyCase("lstm_proj_lengths", tmp);
        rewrite(copy.resolve("io.safetensors"), "h_n", t -> t.data()[3] += 1e-2f);
        List<String> failures = TorchCases.failures(TorchRnnCase.load(copy).run());
        assertThat(failures).hasSize(1).allMatch(f -> f.startsWith("h_n "));
    }

    @Test
    void alteredWeightFails(@TempDir Path tmp) throws Exception {
        Path copy = copyCase("gru_cell", tmp);
        rewrite(copy.resolve("model.safetensors"), "bias_hh", t -> t.data()[7] += 1e-2f);
        List<String> failures = TorchCases.failures(TorchRnnCase.load(copy).run());
        assertThat(failures).anyMatch(f -> f.startsWith("output ")).anyMatch(f -> f.startsWith("grad input "));
    }

    @Test
    void alteredLengthsFail(@TempDir Path tmp) throws Exception {
        Path copy = copyCase("gru_lengths", tmp);
        rewriteLengths(copy.resolve("io.safetensors"), new int[] {2, 4, 3, 1});
        List<String> failures = TorchCases.failures(TorchRnnCase.load(copy).run());
        assertThat(failures).anyMatch(f -> f.startsWith("output ")).anyMatch(f -> f.startsWith("h_n "));
    }

    @Test
    void malformedLengthsNameTheFileAndTensor(@TempDir Path tmp) throws Exception {
        Path copy = copyCase("rnn_lengths", tmp);
        rewriteLengths(copy.resolve("io.safetensors"), new int[] {5, 6, 3});
        assertThatThrownBy(() -> TorchRnnCase.load(copy).run()).isInstanceOf(RecurException.class)
                .hasMessageContaining("io.safetensors").hasMessageContaining("'lengths'")
                .hasMessageContaining("lengths[1] = 6").hasMessageContaining("[1, 5]");
        rewriteLengths(copy.resolve("io.safetensors"), new int[] {5, 2});
        assertThatThrownBy(() -> TorchRnnCase.load(copy).run()).hasMessageContaining("'lengths'")
                .hasMessageContaining("expected shape [3]").hasMessageContaining("[2]");
    }

    static Path copyCase(String name, Path tmp) throws IOException {
        Path to = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(TorchCases.dir(name))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** Rewrites a safetensors file with {@code change} applied to one float tensor; integer tensors kept. */
    static void rewrite(Path file, String name, Consumer<Tensor> change) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.names()) {
                if (!f.info(n).dtype().isFloating()) {
                    writer.add(n, f.readInt(n), f.info(n).dtype());
                    continue;
                }
                Tensor t = f.readFloat(n);
                if (n.equals(name)) {
                    change.accept(t);
                }
                writer.add(n, t);
            }
        }
        Files.delete(file);
        writer.write(file);
    }

    static void rewriteLengths(Path file, int[] lengths) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String n : f.names()) {
                if (!n.equals("lengths")) {
                    writer.add(n, f.readFloat(n));
                }
            }
        }
        writer.add("lengths", IntTensor.of(lengths, lengths.length), DType.I64);
        Files.delete(file);
        writer.write(file);
    }
}
