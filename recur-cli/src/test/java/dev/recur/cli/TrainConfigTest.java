package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.cli.train.ConfigFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recur train --config FILE --set key=value}: the layers' precedence (defaults < file < command line <
 * --set), JSON and YAML files, one-line errors for unknown keys and bad values, and that a run configured by a
 * file is the same run, bit for bit, as one configured by flags.
 */
class TrainConfigTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        return Files.writeString(dir.resolve("t.txt"), TrainCommandTest.TEXT.repeat(60), StandardCharsets.UTF_8);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static String[] args(String... a) {
        List<String> all = new ArrayList<>(List.of("train", "--threads", "1"));
        all.addAll(List.of(a));
        return all.toArray(new String[0]);
    }

    private static String tinyJson(Path text, String extra) {
        return "{\"text\": \"" + text + "\", \"width\": 8, \"steps\": 6, \"batch\": 2, \"seq_len\": 8,"
                + " \"eval_every\": 3, \"checkpoint_every\": 3" + extra + "}";
    }

    @Test
    void laterLayersOverrideEarlierOnes() throws IOException {
        Path cfg = file("c.json", tinyJson(text(), ", \"lr\": 0.01, \"clip\": 0.5, \"weight_decay\": 0.0"));
        Path out = dir.resolve("run");
        CliRun r = CliRun.of(args("--config", cfg.toString(), "--out", out.toString(), "--lr", "0.02", "--clip", "2",
                "--set", "clip=3", "--set", "seed=7"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        Map<String, com.fasterxml.jackson.databind.JsonNode> saved = ConfigFile.read(out.resolve("train_config.json"));
        assertThat(saved.get("weight_decay").asDouble()).isEqualTo(0.0);   // file over default
        assertThat(saved.get("lr").asDouble()).isEqualTo(0.02);            // command line over file
        assertThat(saved.get("clip").asDouble()).isEqualTo(3.0);           // --set over command line
        assertThat(saved.get("seed").asLong()).isEqualTo(7);               // --set over default
        assertThat(saved.get("schedule").asText()).isEqualTo("wsd:warmup=0.02,decay=0.3");  // default
        assertThat(saved.get("out").asText()).isEqualTo(out.toString());
        assertThat(r.out()).contains("weight_decay", "(config file)").contains("(command line)")
                .contains("(--set)").contains("(default)");
        assertThat(out.resolve("run.json")).as("one settings file").doesNotExist();
    }

    @Test
    void aRunFromAConfigFileEqualsTheSameRunFromFlags() throws IOException {
        Path t = text();
        Path json = dir.resolve("json");
        Path yaml = dir.resolve("yaml");
        Path flags = dir.resolve("flags");
        Path cfg = file("c.json", tinyJson(t, ", \"lr\": 0.01"));
        Path yml = file("c.yaml", "text: " + t + "\nwidth: 8\nsteps: 6\nbatch: 2\nseq_len: 8\neval_every: 3\n"
                + "checkpoint_every: 3\nlr: 0.01\n");
        assertThat(CliRun.of(args("--config", cfg.toString(), "--out", json.toString())).exitCode()).isZero();
        assertThat(CliRun.of(args("--config", yml.toString(), "--out", yaml.toString())).exitCode()).isZero();
        CliRun r = CliRun.of(args("--text", t.toString(), "--out", flags.toString(), "--width", "8", "--steps", "6",
                "--batch", "2", "--seq-len", "8", "--eval-every", "3", "--checkpoint-every", "3", "--lr", "0.01"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        byte[] expected = Files.readAllBytes(flags.resolve("model.safetensors"));
        assertThat(Files.readAllBytes(json.resolve("model.safetensors"))).isEqualTo(expected);
        assertThat(Files.readAllBytes(yaml.resolve("model.safetensors"))).isEqualTo(expected);
        assertThat(withoutOut(json)).isEqualTo(withoutOut(flags)).isEqualTo(withoutOut(yaml));
    }

    private static String withoutOut(Path run) throws IOException {
        return Files.readString(run.resolve("train_config.json")).replaceAll("\"out\": \"[^\"]*\"", "");
    }

    @Test
    void taskParametersNestInTheFileAndTakeDottedOverrides() throws IOException {
        Path cfg = file("c.yml", "task: parity\nparams:\n  n: 2\n  seq_len: 16\nwidth: 8\nsteps: 2\n"
                + "eval_every: 1\nbatch: 4\n");
        CliRun r = CliRun.of(args("--config", cfg.toString(), "-p", "seq_len=12", "--set", "params.n=3", "--out",
                dir.resolve("run").toString()));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("params").contains("{n=3, seq_len=12}");
    }

    @Test
    void unknownKeysAndBadValuesFailWithOneLine() throws IOException {
        Path t = text();
        assertMistake(CliRun.of(args("--config", file("a.json", tinyJson(t, ", \"stepz\": 3")).toString())),
                "a.json: unknown key ('stepz'); expected one of [batch, checkpoint_every");
        assertMistake(CliRun.of(args("--config", file("b.yaml", "steps: many\n").toString())),
                "b.yaml: key 'steps': expected an integer, got \"many\"");
        assertMistake(CliRun.of(args("--config", file("c.json", "{\"lr\": \"fast\"}").toString())),
                "c.json: key 'lr': expected a number, got \"fast\"");
        assertMistake(CliRun.of(args("--config", file("d.json", "{\"width\": 2.5}").toString())),
                "d.json: key 'width': expected an integer, got 2.5");
        assertMistake(CliRun.of(args("--config", file("e.json", "{\"steps\": 3,}").toString())),
                "e.json:1: not valid JSON");
        assertMistake(CliRun.of(args("--config", file("f.yaml", "[1, 2]\n").toString())),
                "f.yaml: expected a mapping of keys to values at the top, got a array");
        assertMistake(CliRun.of(args("--config", file("g.json", "{\"steps\": 3, \"steps\": 4}").toString())),
                "g.json:1: not valid JSON: Duplicate field 'steps'");
        assertMistake(CliRun.of(args("--config", file("h.txt", "steps=3").toString())),
                "h.txt: expected a configuration file ending in .json, .yaml or .yml");
        assertMistake(CliRun.of(args("--config", dir.resolve("none.yaml").toString())), "no such file: ");
        assertMistake(CliRun.of(args("--set", "lr")), "--set lr: expected key=value");
        assertMistake(CliRun.of(args("--set", "steps=ten")), "--set steps=ten: key 'steps': expected an integer, "
                + "got 'ten'");
        assertMistake(CliRun.of(args("--set", "nope=1")), "--set nope=1: unknown key ('nope')");
        assertMistake(CliRun.of(args("--set", "steps.x=1")), "'steps' is not a mapping");
        assertMistake(CliRun.of(args("--set", "params=1")), "'params' is a mapping; give its entries as params.NAME");
        assertMistake(CliRun.of(args("--set", "resume=true")), "unknown key ('resume')");
        assertMistake(CliRun.of(args("--config", file("i.json", tinyJson(t, "")).toString(), "--set", "steps=0",
                "--out", dir.resolve("r").toString())), "--set steps=0: key 'steps': expected >= 1, got 0");
        assertMistake(CliRun.of(args("--config", file("j.yaml", "lr: -0.1\n").toString())),
                "j.yaml: key 'lr': expected > 0, got -0.1");
        assertMistake(CliRun.of(args("--batch", "0")), "--batch: key 'batch': expected >= 1, got 0");
        assertMistake(CliRun.of("train", "--resume", "--out", dir.toString(), "--set", "steps=3"),
                "expected no --config or --set");
    }

    @Test
    void hostileFilesAreRefusedWithinBounds() throws IOException {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
                    .append(p).append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        assertMistake(CliRun.of(args("--config", file("bomb.yaml", bomb.toString()).toString())), "bomb.yaml");
        assertMistake(CliRun.of(args("--config", file("deep.json", "{\"a\":".repeat(40) + "1" + "}".repeat(40))
                .toString())), "deep.json");
        assertMistake(CliRun.of(args("--config", file("tag.yaml", "steps: !!java.lang.Runtime 3\n").toString())),
                "tag.yaml");
    }

    private static void assertMistake(CliRun r, String fragment) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("recur: ").contains(fragment);
    }
}
