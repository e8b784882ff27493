package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.Tensor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code recur verify}: the PyTorch reference cases pass through the command (exit 0); an altered expected
 * output fails (exit 1); a malformed case (missing file, HF model type not supported) exits 2 with one line.
 */
class VerifyCommandTest {
    private static final String[] CASES = {"rnn_tanh", "lstm", "lstm_bidir", "gru", "gru_bidir"};

    private record Result(int exitCode, String out, String err) {}

    private static Result verify(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "verify";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cli.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    private static Path copyCase(String name, Path to) throws Exception {
        Path from = CliRun.golden(name);
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    @Test
    void allPyTorchReferenceCasesPass() {
        List<String> dirs = new ArrayList<>();
        for (String c : CASES) {
            dirs.add(CliRun.golden(c).toString());
        }
        Result r = verify(dirs.toArray(new String[0]));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("FAIL").contains("grad weight_hh_l1_reverse").contains("grad c0");
        assertThat(r.out().split("\n")).filteredOn(l -> l.endsWith("PASS")).hasSizeGreaterThan(60);
    }

    @Test
    void alteredExpectedOutputFailsWithExitCodeOne(@TempDir Path tmp) throws Exception {
        Path dir = copyCase("lstm", tmp.resolve("lstm"));
        Path io = dir.resolve("io.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(io)) {
            for (String name : f.names()) {
                Tensor t = f.readFloat(name);
                if (name.equals("output")) {
                    t.data()[5] += 0.01f;
                }
                writer.add(name, t);
            }
        }
        Files.delete(io);
        writer.write(io);
        Result r = verify(dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("output .* FAIL").containsPattern("h_n .* PASS");
    }

    @Test
    void everyHfReferenceCasePasses() {
        List<String> dirs = new ArrayList<>();
        for (String c : new String[] {"mamba", "mamba2", "recurrentgemma", "rwkv", "qwen3_next", "bamba", "jamba"}) {
            dirs.add(CliRun.golden(c).toString());
        }
        Result r = verify(dirs.toArray(new String[0]));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).doesNotContain("FAIL").contains("generated_ids").contains("grad model.layers.0");
    }

    @Test
    void alteredHfLogitsFailWithExitCodeOne(@TempDir Path tmp) throws Exception {
        Path dir = copyCase("mamba", tmp.resolve("mamba"));
        Path io = dir.resolve("io.safetensors");
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(io)) {
            for (String name : f.names()) {
                if (f.info(name).dtype() == DType.I64) {
                    writer.add(name, f.readInt(name), DType.I64);
                    continue;
                }
                Tensor t = f.readFloat(name);
                if (name.equals("logits")) {
                    t.data()[7] += 0.05f;
                }
                writer.add(name, t);
            }
        }
        Files.delete(io);
        writer.write(io);
        Result r = verify(dir.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).containsPattern("logits .* FAIL").containsPattern("loss .* PASS");
    }

    @Test
    void missingFileExitsTwoWithOneLine(@TempDir Path tmp) throws Exception {
        Path dir = copyCase("gru", tmp.resolve("gru"));
        Files.delete(dir.resolve("model.safetensors"));
        Result r = verify(dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("model.safetensors");
    }

    @Test
    void malformedCaseWithoutSharedFilesExitsTwo(@TempDir Path tmp) throws Exception {
        Path odd = Files.createDirectories(tmp.resolve("odd"));
        Files.writeString(odd.resolve("config.json"), "{\"model_type\": \"no_such_model\", \"hidden_size\": 32}");
        Result r = verify(odd.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("model_type 'no_such_model' is not supported");
        assertThat(r.err().strip().lines()).hasSize(1);

        Path unknown = Files.createDirectories(tmp.resolve("unknown"));
        Files.writeString(unknown.resolve("config.json"), "{\"module\": \"Transformer\", \"input_size\": 3}");
        Result u = verify(unknown.toString());
        assertThat(u.exitCode()).isEqualTo(2);
        assertThat(u.err()).contains("module").contains("Transformer");

        Result missing = verify(tmp.resolve("nothing-here").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nothing-here");
    }

    @Test
    void shapeMismatchInACaseExitsTwo(@TempDir Path tmp) throws Exception {
        Path dir = copyCase("rnn_tanh", tmp.resolve("rnn"));
        Path config = dir.resolve("config.json");
        String text = Files.readString(config).replace("\"hidden_size\": 7", "\"hidden_size\": 6");
        Files.delete(config);
        Files.writeString(config, text);
        Result r = verify(dir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("weight_ih_l0").contains("[6, 5]").contains("[7, 5]");
    }
}
