package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.tensor.GradMode;
import dev.recur.core.tensor.IntTensor;
import dev.recur.layers.lm.CausalLm;
import dev.recur.layers.registry.HfModels;
import dev.recur.layers.lm.NextTokenLoss;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code recur train}, {@code recur eval} and {@code recur generate --prompt} on a tiny run. */
class TrainCommandTest {
    static final String TEXT = "The sea was calm; the whale was not. Call me Ishmael, said the sailor. ";
    static final Pattern LAST_LINE = Pattern.compile("bits_per_byte (\\d+\\.\\d{6})");

    @TempDir
    Path dir;

    Path text(String name, int repeats) throws IOException {
        return Files.writeString(dir.resolve(name), TEXT.repeat(repeats), StandardCharsets.UTF_8);
    }

    /** A tiny run's arguments; {@code more} come first, so picocli takes the first of a repeated option. */
    static String[] tinyRun(Path text, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train"));
        args.addAll(List.of(more));
        List<String> defaults = List.of("--text", text.toString(), "--out", out.toString(), "--width", "8",
                "--steps", "6", "--batch", "2", "--seq-len", "8", "--eval-every", "3", "--checkpoint-every", "3",
                "--threads", "1");
        for (int i = 0; i < defaults.size(); i += 2) {
            if (!args.contains(defaults.get(i))) {
                args.add(defaults.get(i));
                args.add(defaults.get(i + 1));
            }
        }
        return args.toArray(new String[0]);
    }

    @Test
    void aRunFolderHoldsEveryFileAndLoads() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = CliRun.of(tinyRun(text("t.txt", 60), out));
        assertThat(r.exitCode()).as(r.err()).isZero();
        for (String f : List.of("config.json", "model.safetensors", "metrics.jsonl", "loss.png", "MODEL_CARD.md",
                "train_config.json", "data.sha256", "checkpoints/ckpt-6/MANIFEST.sha256")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"model_type\": \"recur_lstm\"")
                .contains("\"tokenizer\": \"bytes\"");
        List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertThat(rows).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            assertThat(line).contains("\"step\":", "\"loss\":", "\"lr\":", "\"tokens_per_s\":");
        }
        assertThat(rows.get(2).extra("val_bpb")).isPositive();
        assertThat(rows.get(5).extra("val_bpb")).isPositive();
        assertThat(r.out()).contains("validation: ", "xz -9e", "bzip2 -9", "sample (temperature 0.8, seed 42):",
                "The sea was");
        assertThat(HfModels.load(out).modelType()).isEqualTo("recur_lstm");
    }

    @Test
    void resumeContinuesFromTheNewestCheckpoint() throws IOException {
        Path out = dir.resolve("run");
        Path t = text("t.txt", 60);
        assertThat(CliRun.of(tinyRun(t, out)).exitCode()).isZero();
        CliRun r = CliRun.of("train", "--resume", "--out", out.toString(), "--steps", "9");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("resumed from ").contains("ckpt-6");
        List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertThat(rows).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void evalPrintsOneLinePerDocumentAndTheBitsPerByteLast() throws IOException {
        Path out = dir.resolve("run");
        assertThat(CliRun.of(tinyRun(text("t.txt", 60), out)).exitCode()).isZero();
        Path a = text("a.txt", 2);
        Path b = Files.writeString(dir.resolve("b.txt"), "Whales, whales everywhere.", StandardCharsets.UTF_8);
        CausalLm lm = HfModels.load(out);
        double bitsA = oneForwardBits(lm, Files.readAllBytes(a));
        double bitsB = oneForwardBits(lm, Files.readAllBytes(b));

        CliRun one = CliRun.of("eval", "--model", out.toString(), "--text", a.toString());
        assertThat(one.exitCode()).as(one.err()).isZero();
        List<String> lines = one.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("a.txt").contains((TEXT.length() * 2 - 1) + " bytes scored");
        assertThat(lastValue(one)).isCloseTo(bitsA, within(1e-4));

        CliRun two = CliRun.of("eval", "--model", out.toString(), "--text", a.toString(), b.toString());
        assertThat(two.out().lines().toList()).hasSize(3);
        long na = Files.size(a) - 1;
        long nb = Files.size(b) - 1;
        assertThat(lastValue(two)).isCloseTo((bitsA * na + bitsB * nb) / (na + nb), within(1e-4));
    }

    @Test
    void generateReadsAndWritesBytesForAByteModel() throws IOException {
        Path out = dir.resolve("run");
        assertThat(CliRun.of(tinyRun(text("t.txt", 60), out)).exitCode()).isZero();
        String[] args = {"generate", "--model", out.toString(), "--prompt", "The sea was", "--max-new-tokens", "20",
            "--temperature", "0.8", "--seed", "3"};
        CliRun r = CliRun.of(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isNotBlank().isEqualTo(CliRun.of(args).out());
    }

    @Test
    void userMistakesExitTwoWithOneLine() throws IOException {
        Path t = text("t.txt", 60);
        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertMistake(CliRun.of("train", "--text", dir.resolve("missing.txt").toString(), "--out",
                dir.resolve("r1").toString()), "missing.txt");
        assertMistake(CliRun.of(tinyRun(t, dir.resolve("r2"), "--steps", "0")), "--steps: key 'steps': expected >= 1, got 0");
        assertMistake(CliRun.of(tinyRun(t, dir.resolve("r3"), "--model", "gpt")), "--model 'gpt': expected lstm, mamba or a layer spec");
        assertMistake(CliRun.of(tinyRun(t, dir.resolve("r4"), "--schedule", "linear")), "schedule");
        assertMistake(CliRun.of(tinyRun(t, full)), "is not empty; use --resume");
        assertMistake(CliRun.of("train", "--batch", "many"), "--batch");
        assertMistake(CliRun.of("train", "--resume", "--out", dir.resolve("nothing").toString()), "train_config.json");
        assertMistake(CliRun.of("eval", "--model", dir.toString(), "--text", t.toString()), "config.json");
        assertMistake(CliRun.of("eval", "--model", dir.toString(), "--text", dir.resolve("no.txt").toString()),
                "no.txt");
    }

    private static void assertMistake(CliRun r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("recur: ").contains(fragment).doesNotContain("\tat ");
    }

    private static double lastValue(CliRun r) {
        List<String> lines = r.out().lines().toList();
        Matcher m = LAST_LINE.matcher(lines.get(lines.size() - 1));
        assertThat(m.matches()).as(lines.get(lines.size() - 1)).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** The whole document in one forward, its mean next-byte loss in bits (an independent path). */
    static double oneForwardBits(CausalLm lm, byte[] doc) {
        int[] ids = new int[doc.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = doc[i] & 0xff;
        }
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            IntTensor x = IntTensor.of(ids, 1, ids.length);
            return NextTokenLoss.of(lm.forward(x, null).logits(), x).item() / Math.log(2);
        }
    }
}
