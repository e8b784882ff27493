package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.recur.core.tensor.Tensor;
import dev.recur.tasks.registry.TaskRegistry;
import dev.recur.tasks.TokenBatch;
import dev.recur.tasks.hmm.HmmTask;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import dev.recur.train.tasks.TokenTaskTraining;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur train --task}: a token task run writes a complete run folder, learns 3-parity, and
 * {@code recur eval} scores it on held-out answers (whose count follows from the task's definition); multi-head
 * tasks report every head; the attention model plugs in through the factory; a config file gives the same
 * weights as flags.
 */
class TaskRunCommandTest {
    @TempDir
    Path dir;

    static String[] train(String... a) {
        List<String> all = new ArrayList<>(List.of("train", "--threads", "1"));
        all.addAll(List.of(a));
        return all.toArray(new String[0]);
    }

    /** {@code name value} lines of eval's output after its header. */
    static Map<String, Double> values(CliRun r) {
        Map<String, Double> m = new LinkedHashMap<>();
        List<String> lines = r.out().lines().toList();
        for (String line : lines.subList(1, lines.size())) {
            String[] parts = line.split(" ");
            m.put(parts[0], Double.parseDouble(parts[1]));
        }
        return m;
    }

    @Test
    void aParityRunWritesItsFolderAndEvalScoresItsHeldOutAnswers() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of(train("--task", "parity", "-p", "n=3", "-p", "seq_len=32", "--width", "8", "--steps",
                "6", "--eval-every", "3", "--checkpoint-every", "2", "--seed", "1", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String f : List.of("train_config.json", "model.safetensors", "metrics.jsonl", "loss.png",
                "MODEL_CARD.md")) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        List<MetricsRow> rows = MetricsLog.read(out.resolve("metrics.jsonl"));
        assertThat(rows).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(rows.get(2).extra("answer_accuracy")).isBetween(0.0, 1.0);
        assertThat(rows.get(5).extra("answer_accuracy")).isBetween(0.0, 1.0);
        assertThat(rows.get(3).extras()).containsOnlyKeys("grad_norm");
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            assertThat(line).contains("\"step\":", "\"loss\":", "\"lr\":", "\"tokens_per_s\":");
        }
        try (var names = Files.list(out.resolve("checkpoints"))) {
            assertThat(names.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ckpt-2", "ckpt-4",
                    "ckpt-6");
        }
        assertThat(Files.readString(out.resolve("MODEL_CARD.md"))).contains("lstm on the parity task",
                "answer_accuracy", "\"task\" : \"parity\"");

        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        // 16 batches of 32 sequences; 3-parity is answered from position 2 of 32.
        assertThat(eval.out().lines().findFirst().orElseThrow()).contains("(15,360 answers)");
        assertThat(values(eval)).containsKeys("val_loss", "answer_accuracy");
    }

    @Test
    @Tag("slow")
    void aParityRunLearnsThreeParity() throws IOException {
        Path out = dir.resolve("run");
        CliRun run = CliRun.of(train("--task", "parity", "-p", "n=3", "-p", "seq_len=32", "--width", "32", "--steps",
                "400", "--eval-every", "50", "--seed", "1", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("reached the target at step 150; stopping");
        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(values(eval).get("answer_accuracy")).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aMultiHeadRunReportsEveryHead() throws IOException {
        Path out = dir.resolve("multi");
        int t = 16;
        CliRun run = CliRun.of(train("--task", "dms", "-p", "heads=multi", "-p", "n=3", "-p", "seq_len=" + t,
                "--width", "8", "--steps", "3", "--batch", "4", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        MetricsRow last = MetricsLog.read(out.resolve("metrics.jsonl")).get(2);
        assertThat(last.extras()).containsKeys("answer_accuracy", "answer_accuracy_n2", "answer_accuracy_n3");
        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        Map<String, Double> v = values(eval);
        // Delayed match with delay N is answered from position N: T - 2 and T - 3 answers per sequence.
        double overall = (v.get("answer_accuracy_n2") * (t - 2) + v.get("answer_accuracy_n3") * (t - 3))
                / (2 * t - 5);
        assertThat(v.get("answer_accuracy")).isCloseTo(overall, within(1e-6));
        assertThat(eval.out().lines().findFirst().orElseThrow())
                .contains(String.format("(%,d answers)", 16 * 4 * (2 * t - 5)));
    }

    @Test
    void theAttentionModelPlugsInAndAConfigFileGivesTheSameWeights() throws IOException {
        Path flags = dir.resolve("flags");
        Path file = dir.resolve("file");
        Path cfg = Files.writeString(dir.resolve("mqar.yaml"), "task: mqar\nparams:\n  vocab_size: 32\n"
                + "  seq_len: 16\n  num_pairs: 2\nmodel: attention\nwidth: 16\nheads: 2\nlayers: 2\nsteps: 3\n"
                + "batch: 4\n", StandardCharsets.UTF_8);
        CliRun a = CliRun.of(train("--task", "mqar", "-p", "vocab_size=32", "-p", "seq_len=16", "-p", "num_pairs=2",
                "--model", "attention", "--width", "16", "--heads", "2", "--layers", "2", "--steps", "3", "--batch",
                "4", "--out", flags.toString()));
        assertThat(a.exitCode()).as(a.err()).isZero();
        assertThat(a.out()).contains("recur train: attention on mqar, width 16, layers 2, heads 2");
        CliRun b = CliRun.of(train("--config", cfg.toString(), "--out", file.toString()));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(file.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(flags.resolve("model.safetensors")));
        assertThat(Files.readString(flags.resolve("MODEL_CARD.md"))).contains("attention on the mqar task");
    }

    /**
     * Runs {@code args} to the end in two folders, takes the second back to its checkpoint at step 3 (as if it
     * had stopped there), resumes it, and checks the weights and the metrics rows against the first.
     */
    static void assertResumeIsBitExact(Path dir, String... args) throws IOException {
        Path whole = dir.resolve("whole");
        Path cut = dir.resolve("cut");
        for (Path p : List.of(whole, cut)) {
            List<String> a = new ArrayList<>(List.of(args));
            a.addAll(List.of("--steps", "6", "--checkpoint-every", "3", "--out", p.toString()));
            CliRun r = CliRun.of(train(a.toArray(new String[0])));
            assertThat(r.exitCode()).as(r.err()).isZero();
        }
        Files.delete(cut.resolve("model.safetensors"));
        try (var walk = Files.walk(cut.resolve("checkpoints/ckpt-6"))) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        CliRun resumed = CliRun.of("train", "--threads", "1", "--resume", "--out", cut.toString());
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resumed from ").contains("ckpt-3 at step 3");
        assertThat(Files.readAllBytes(cut.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(whole.resolve("model.safetensors")));
        List<MetricsRow> a = MetricsLog.read(whole.resolve("metrics.jsonl"));
        List<MetricsRow> b = MetricsLog.read(cut.resolve("metrics.jsonl"));
        assertThat(b).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(b).extracting(MetricsRow::loss).isEqualTo(a.stream().map(MetricsRow::loss).toList());
    }

    @Test
    void aResumedTaskRunEqualsOneThatNeverStopped() throws IOException {
        assertResumeIsBitExact(dir, "--task", "parity", "-p", "n=3", "-p", "seq_len=16", "--width", "8", "--batch",
                "4", "--eval-every", "2");
    }

    @Test
    void aRunFoldersSavedConfigurationRepeatsTheRun() throws IOException {
        Path first = dir.resolve("first");
        Path again = dir.resolve("again");
        CliRun a = CliRun.of(train("--task", "parity", "-p", "n=2", "-p", "seq_len=12", "--width", "8", "--steps", "4",
                "--batch", "4", "--set", "lr=0.01", "--out", first.toString()));
        assertThat(a.exitCode()).as(a.err()).isZero();
        CliRun b = CliRun.of(train("--config", first.resolve("train_config.json").toString(), "--out",
                again.toString()));
        assertThat(b.exitCode()).as(b.err()).isZero();
        assertThat(Files.readAllBytes(again.resolve("model.safetensors")))
                .isEqualTo(Files.readAllBytes(first.resolve("model.safetensors")));
    }

    @Test
    void anHmmRunReportsItsLossAboveTheHmmsOwn() throws IOException {
        Path out = dir.resolve("hmm");
        CliRun run = CliRun.of(train("--task", "hmm", "-p", "seq_len=16", "--width", "8", "--steps", "2", "--batch",
                "4", "--seed", "3", "--out", out.toString()));
        assertThat(run.exitCode()).as(run.err()).isZero();
        CliRun eval = CliRun.of("eval", "--model", out.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        Map<String, Double> v = values(eval);
        // Uniform logits lose exactly ln V per token, so the HMM's own loss is ln V minus their excess loss.
        HmmTask hmm = (HmmTask) TaskRegistry.find("hmm").create(Map.of("seq_len", "16"), 3);
        double optimal = 0;
        for (int k = 0; k < 16; k++) {
            TokenBatch b = hmm.batch(4, TokenTaskTraining.EVAL_OFFSET + k);
            Tensor uniform = Tensor.zeros(4, 16, hmm.vocabSize());
            optimal += (Math.log(hmm.vocabSize()) - hmm.excessLoss(uniform, b)) / 16;
        }
        assertThat(v.get("val_loss") - v.get("excess_loss")).isCloseTo(optimal, within(1e-5));
    }

    @Test
    void mistakesExitTwoWithOneLine() throws IOException {
        assertMistake(CliRun.of(train("--task", "parity", "--model", "gpt", "--steps", "2", "--out",
                dir.resolve("a").toString())), "unknown kind 'gpt'");
        assertMistake(CliRun.of(train("--task", "parity", "-p", "m=2", "--steps", "2")), "unknown parameter 'm'");
        assertMistake(CliRun.of(train("--task", "lorenz96", "--model", "attention", "--steps", "2", "--out",
                dir.resolve("b").toString())), "--model 'attention': expected lstm (the local LSTM forecaster) or a layer spec");
        assertMistake(CliRun.of(train("--task", "nope")), "unknown task 'nope'");
        assertMistake(CliRun.of(train("--task", "parity", "--schedule", "linear", "--out",
                dir.resolve("c").toString())), "schedule");
        assertThat(dir.resolve("c")).doesNotExist();
        assertMistake(CliRun.of(train("-p", "n=3", "--steps", "2")), "expected a task (--task NAME or --csv FILE)");
        assertThat(dir.resolve("a")).doesNotExist();
        Path half = Files.createDirectories(dir.resolve("half"));
        Files.writeString(half.resolve("train_config.json"), "{\"task\": \"parity\", \"model\": \"lstm\", "
                + "\"width\": 8, \"layers\": 1, \"heads\": 2, \"steps\": 1, \"batch\": 2, \"lr\": 0.01, "
                + "\"schedule\": \"constant\", \"clip\": 1.0, \"weight_decay\": 0.0, \"seed\": 1, \"eval_every\": 1,"
                + " \"checkpoint_every\": 1}");
        assertMistake(CliRun.of("eval", "--model", half.toString()), "model.safetensors (the run has not finished");
        assertMistake(CliRun.of("eval", "--model", half.toString(), "--text", "x.txt"), "expected no --text");
    }

    static void assertMistake(CliRun r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("recur: ").contains(fragment);
    }
}
