package dev.recur.cli;

import static dev.recur.cli.TaskRunCommandTest.assertMistake;
import static dev.recur.cli.TaskRunCommandTest.train;
import static dev.recur.cli.TaskRunCommandTest.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.stack.StackLm;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.recur.layers.stack.MixerKinds;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur train --model SPEC} beyond lstm and mamba: a layer-spec language model whose folder works with
 * score, generate and eval, a spec LM's resume equal to the uninterrupted run, a token task and a forecaster built
 * from specs, and every bad spec, conflicting option or wrong --init folder failing with one line and exit 2.
 */
class SpecTrainCommandTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        return Files.writeString(dir.resolve("t.txt"), TrainCommandTest.TEXT.repeat(60), StandardCharsets.UTF_8);
    }

    @Test
    void listKindsPrintsEveryRegisteredKindWithItsOptions() {
        CliRun r = CliRun.of("train", "--list-kinds");
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(MixerKinds.all().size());
        assertThat(lines).contains("gdn  (heads, conv)", "lstm", "attn  (heads, window)");
    }

    @Test
    void aSpecLanguageModelFolderWorksWithScoreGenerateAndEval() throws IOException {
        Path out = dir.resolve("gdn");
        CliRun r = CliRun.of(TrainCommandTest.tinyRun(text(), out, "--model", "gdn,attn(heads=2)"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("recur train: recur_stack gdn,attn(heads=2), d_model 8");
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"model_type\": \"recur_stack\"",
                "\"layer_spec\": \"gdn,attn(heads=2)\"", "\"hidden_size\": 8", "\"tokenizer\": \"bytes\"");
        CausalLm lm = HfModels.load(out);
        assertThat(lm).isInstanceOf(StackLm.class);

        IntTensor ids = IntTensor.of(new int[] {84, 104, 101, 32, 115, 101, 97, 32}, 1, 8);
        Path in = dir.resolve("in.safetensors");
        new SafetensorsWriter().add("input_ids", ids, DType.I64).write(in);
        Path scored = dir.resolve("out.safetensors");
        CliRun score = CliRun.of("score", "--model", out.toString(), "--input", in.toString(), "--output",
                scored.toString());
        assertThat(score.exitCode()).as(score.err()).isZero();
        Tensor logits = lm.forward(ids, null).logits();
        try (SafetensorsFile f = SafetensorsFile.open(scored)) {
            assertThat(f.readFloat("loss").item()).isEqualTo(NextTokenLoss.of(logits, ids).item());
        }

        CliRun generate = CliRun.of("generate", "--model", out.toString(), "--prompt", "The sea", "--max-new-tokens",
                "5", "--temperature", "0");
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(generate.out()).isNotBlank();

        Path doc = Files.writeString(dir.resolve("doc.txt"), "Whales, whales everywhere.", StandardCharsets.UTF_8);
        CliRun eval = CliRun.of("eval", "--model", out.toString(), "--text", doc.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        List<String> lines = eval.out().lines().toList();
        assertThat(Double.parseDouble(lines.get(lines.size() - 1).split(" ")[1]))
                .isCloseTo(TrainCommandTest.oneForwardBits(lm, Files.readAllBytes(doc)), within(1e-4));
    }

    @Test
    void aResumedSpecLanguageModelEqualsOneThatNeverStopped() throws IOException {
        Path t = text();
        Path whole = dir.resolve("whole");
        Path cut = dir.resolve("cut");
        for (Path p : List.of(whole, cut)) {
            CliRun r = CliRun.of(TrainCommandTest.tinyRun(t, p, "--model", "gru*2", "--seed", "5"));
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        // Back to the checkpoint of step 3, as if the run had stopped there.
        try (var walk = Files.walk(cut.resolve("checkpoints/ckpt-6"))) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        CliRun resumed = CliRun.of("train", "--threads", "1", "--resume", "--out", cut.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("ckpt-3 at step 3");
        assertThat(Files.readAllBytes(cut.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));
        List<MetricsRow> a = MetricsLog.read(whole.resolve("metrics.jsonl"));
        List<MetricsRow> b = MetricsLog.read(cut.resolve("metrics.jsonl"));
        assertThat(b).extracting(MetricsRow::loss).isEqualTo(a.stream().map(MetricsRow::loss).toList());
        assertThat(b.get(5).extra("val_bpb")).isEqualTo(a.get(5).extra("val_bpb"));
    }

    @Test
    void aTokenTaskTrainsAPlainSpec() throws IOException {
        Path out = dir.resolve("task");
        CliRun run = CliRun.of(train("--task", "parity", "-p", "n=2", "-p", "seq_len=12", "--model", "gru",
                "--width", "8", "--steps", "3", "--batch", "4", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("recur train: gru on parity");
        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(values(eval).get("answer_accuracy")).isBetween(0.0, 1.0);
    }

    private Path sineCsv() throws IOException {
        StringBuilder sb = new StringBuilder("t,y\n");
        for (int t = 0; t < 240; t++) {
            sb.append(t).append(',').append(String.format(Locale.ROOT, "%.6f", 2 + Math.sin(0.3 * t))).append('\n');
        }
        return Files.writeString(dir.resolve("sine.csv"), sb.toString(), StandardCharsets.UTF_8);
    }

    @Test
    void aSpecForecasterTrainsAndEvals() throws IOException {
        Path out = dir.resolve("forecast");
        CliRun run = CliRun.of(train("--csv", sineCsv().toString(), "--target", "y", "-p", "history=16", "-p",
                "horizon=8", "--model", "gru,attn(heads=2)", "--width", "8", "--steps", "40", "--batch", "4", "--lr",
                "0.01", "--eval-every", "20", "--schedule", "constant", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("layer-spec forecaster gru,attn(heads=2), d_model 8");
        List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
        double first = rows.subList(0, 5).stream().mapToDouble(MetricsRow::loss).average().orElseThrow();
        double last = rows.subList(35, 40).stream().mapToDouble(MetricsRow::loss).average().orElseThrow();
        assertThat(last).as("training loss, last five steps against the first five").isLessThan(first);
        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("layer-spec forecaster");
        assertThat(values(eval).get("nrmse")).isCloseTo(rows.get(39).extra("val_nrmse"), within(0.5));
    }

    /** A run fine-tuning {@code init} on {@code text}, with no model options (the folder fixes them). */
    private static String[] initRun(Path text, Path out, Path init) {
        return train("--init", init.toString(), "--text", text.toString(), "--steps", "3", "--out", out.toString());
    }

    @Test
    void badSpecsConflictsAndWrongInitFoldersExitTwoWithOneLine() throws IOException {
        Path t = text();
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("a"), "--model", "gdn*")),
                "--model 'gdn*': expected lstm, mamba or a layer spec");
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("b"), "--model", "gdn,nope")),
                "unknown block kind 'nope'");
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("c"), "--model", "gdn*3+attn", "--layers",
                "2")), "--layers 2 conflicts with the repetition in --model 'gdn*3+attn'");
        assertMistake(CliRun.of(initRun(t, dir.resolve("d"), dir.resolve("none"))),
                "--init " + dir.resolve("none") + ": expected a model folder, got no such folder");
        Path task = dir.resolve("task");
        assertThat(CliRun.of(train("--task", "parity", "-p", "n=2", "-p", "seq_len=12", "--width", "4", "--steps", "3",
                "--batch", "2", "--out", task.toString())).exitCode()).isZero();
        assertMistake(CliRun.of(initRun(t, dir.resolve("e"), task)),
                "got a task or forecasting run folder without config.json");
        Path module = Files.createDirectories(dir.resolve("module"));
        Files.writeString(module.resolve("config.json"), "{\"module\": \"GRU\", \"input_size\": 5}");
        assertMistake(CliRun.of(initRun(t, dir.resolve("f"), module)),
                "got a PyTorch-module reference case (module GRU)");
        Path unknown = Files.createDirectories(dir.resolve("unknown"));
        Files.writeString(unknown.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
        assertMistake(CliRun.of(initRun(t, dir.resolve("g"), unknown)),
                "model_type 'gpt2' is not a causal LM Recur trains");
        Path lm = dir.resolve("lm");
        assertThat(CliRun.of(TrainCommandTest.tinyRun(t, lm, "--steps", "3")).exitCode()).isZero();
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("h"), "--init", lm.toString(), "--model",
                "gru")), "--init " + lm + " conflicts with --model");
        assertMistake(CliRun.of(train("--task", "parity", "--init", lm.toString(), "--steps", "3")),
                "--init trains a language model; it conflicts with --task and --csv");
        Path ids = Files.writeString(dir.resolve("ids.txt"), "1 2 3");
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("i"), "--ids", ids.toString())),
                "--ids and --text conflict");
        Path big = Files.writeString(dir.resolve("big.txt"), "1 2 300 4");
        assertMistake(CliRun.of(train("--ids", big.toString(), "--width", "8", "--steps", "3", "--out",
                dir.resolve("j").toString())), "big.txt: token 2: id 300 is outside the model's vocabulary [0, 256)");
        assertMistake(CliRun.of(train("--optimizer", "lion", "--steps", "3", "--out", dir.resolve("k").toString())),
                "optimizer expected adamw or sgd, got lion");
        assertMistake(CliRun.of(TrainCommandTest.tinyRun(t, dir.resolve("l"), "--model", "gdn,attn(heads=3)")),
                "stack block 'attn(heads=3)': heads must divide d_model");
        for (String name : List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l")) {
            assertThat(dir.resolve(name)).as("no folder for a refused run").doesNotExist();
        }
    }
}
