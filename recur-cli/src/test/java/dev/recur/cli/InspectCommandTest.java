package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.DType;
import dev.recur.core.io.HostileSafetensors;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code recur inspect}: reference-case folders and files describe with exit 0 and the right totals; every bad
 * input gives exit 2 and exactly one clean line on stderr.
 */
class InspectCommandTest {
    @TempDir
    Path dir;

    static Path goldenDir() {
        String shared = System.getProperty("recur.shared.dir");
        Path golden = shared == null ? null : Path.of(shared, "golden");
        Assumptions.assumeTrue(golden != null && Files.isDirectory(golden),
                "golden reference cases absent (system property recur.shared.dir=" + shared + "): skipped");
        return golden;
    }

    static Stream<Path> goldenFolders() throws IOException {
        try (Stream<Path> s = Files.list(goldenDir())) {
            List<Path> folders = s.filter(p -> Files.exists(p.resolve("model.safetensors"))).sorted().toList();
            Assumptions.assumeFalse(folders.isEmpty(), "no reference-case folders: skipped");
            return folders.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFolders")
    void everyReferenceFolderInspects(Path folder) throws IOException {
        CliRun run = CliRun.of("inspect", folder.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("folder: " + folder, "config.json:", "model.safetensors", "  name ");
        String config = Files.readString(folder.resolve("config.json"));
        Matcher type = Pattern.compile("\"(model_type|module)\"\\s*:\\s*\"([^\"]+)\"").matcher(config);
        assertThat(type.find()).isTrue();
        assertThat(run.out()).contains("\"" + type.group(1) + "\" : \"" + type.group(2) + "\"");
        Long params = manifestParams(folder.getFileName().toString());
        if (params != null) {
            assertThat(run.out()).containsPattern("total: \\d+ tensors, " + params + " parameters, " + (4 * params)
                    + " bytes");
        }
    }

    /** The parameter count PyTorch reported for an HF case, from MANIFEST.txt; null when not listed. */
    private static Long manifestParams(String caseName) throws IOException {
        Path manifest = goldenDir().resolve("MANIFEST.txt");
        if (!Files.exists(manifest)) {
            return null;
        }
        Matcher m = Pattern.compile("public/" + Pattern.quote(caseName) + ": ok .*params=(\\d+)")
                .matcher(Files.readString(manifest));
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenFolders")
    void everyReferenceFileInspects(Path folder) {
        for (String name : List.of("model.safetensors", "io.safetensors", "grads.safetensors")) {
            CliRun run = CliRun.of("inspect", folder.resolve(name).toString());
            assertThat(run.exitCode()).as(name).isZero();
            assertThat(run.err()).isEmpty();
            assertThat(run.out()).startsWith("file: " + folder.resolve(name)).contains("total: ");
        }
    }

    @Test
    void printsMetadataTableAndTotalsOfAFile() throws IOException {
        Path file = dir.resolve("small.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .add("w", Tensor.zeros(2, 3), DType.BF16)
                .add("ids", IntTensor.of(new int[] {1, 2, 3, 4}, 4), DType.I64)
                .write(file);
        CliRun run = CliRun.of("inspect", file.toString());
        assertThat(run.exitCode()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("file: " + file + " (").contains("header ");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "metadata:",
                "  format = pt",
                "  name  dtype  shape   bytes",
                "  ids   I64    [4]        32",
                "  w     BF16   [2, 3]     12",
                "total: 2 tensors, 10 parameters, 44 bytes");
    }

    @Test
    void controlCharactersInNamesAreEscaped() throws IOException {
        Path file = dir.resolve("ansi.safetensors");
        new SafetensorsWriter().add("evil\u001b[2Jname", Tensor.scalar(1f)).metadata("k", "v\r\n").write(file);
        CliRun run = CliRun.of("inspect", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("\u001b", "\r").contains("evil\\u001b[2Jname", "k = v\\u000d\\u000a");
    }

    static List<HostileSafetensors.Case> hostile() {
        return HostileSafetensors.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void everyHostileFileGivesExitTwoAndOneLine(HostileSafetensors.Case c) throws IOException {
        Path file = dir.resolve(c.name() + ".safetensors");
        Files.write(file, c.bytes());
        assertOneLineError(CliRun.of("inspect", file.toString()), c.expectedMessage());
    }

    @Test
    void missingPathGivesExitTwo() {
        assertOneLineError(CliRun.of("inspect", dir.resolve("absent").toString()), "no such file: ");
    }

    @Test
    void folderWithoutWeightsGivesExitTwo() {
        assertOneLineError(CliRun.of("inspect", dir.toString()), "expected a model folder with model.safetensors");
    }

    @Test
    void hostileConfigJsonGivesExitTwo() throws IOException {
        new SafetensorsWriter().add("w", Tensor.scalar(1f)).write(dir.resolve("model.safetensors"));
        String[][] configs = {
            {"{\"a\":1,\"a\":2}", "Duplicate field 'a'"},
            {"{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "nesting depth"},
            {"{\"a\":1} trailing", "invalid JSON"},
            {"{\"a\":NaN}", "invalid JSON"},
            {"", "expected a JSON value, got an empty file"},
        };
        for (String[] c : configs) {
            Files.writeString(dir.resolve("config.json"), c[0]);
            CliRun run = CliRun.of("inspect", dir.toString());
            assertOneLineError(run, c[1]);
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void shardedFolderListsEveryShardWithGrandTotals() throws IOException {
        new SafetensorsWriter().add("a", Tensor.zeros(2)).add("b", Tensor.zeros(3))
                .write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().add("c", Tensor.zeros(5), DType.F16)
                .write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\":{\"total_size\":30},"
                + "\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00001-of-00002.safetensors\","
                + "\"c\":\"model-00002-of-00002.safetensors\"}}");
        CliRun run = CliRun.of("inspect", dir.toString());
        assertThat(run.err()).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("config.json: absent", "(3 tensors in 2 shards)",
                "model-00001-of-00002.safetensors (", "model-00002-of-00002.safetensors (")
                .endsWith("total: 3 tensors, 10 parameters, 30 bytes" + System.lineSeparator());
    }

    @Test
    void badIndexesGiveExitTwo() throws IOException {
        new SafetensorsWriter().add("a", Tensor.zeros(2)).write(dir.resolve("shard.safetensors"));
        String[][] indexes = {
            {"{\"weight_map\":{\"a\":\"../shard.safetensors\"}}", "plain file names in the model folder, got \"../"},
            {"{\"weight_map\":{\"a\":\"/etc/passwd\"}}", "plain file names"},
            {"{\"weight_map\":{\"a\":\"missing.safetensors\"}}", "lists shard missing.safetensors, which is not a file"},
            {"{\"weight_map\":{\"zz\":\"shard.safetensors\"}}", "maps tensor \"zz\" to shard.safetensors, which has no"},
            {"{\"weight_map\":{\"a\":3}}", "expected a shard file name"},
            {"{\"weight_map\":{}}", "expected at least one entry"},
            {"[]", "expected an object with a \"weight_map\" object"},
        };
        for (String[] c : indexes) {
            Files.writeString(dir.resolve("model.safetensors.index.json"), c[0]);
            assertOneLineError(CliRun.of("inspect", dir.toString()), c[1]);
        }
    }

    static void assertOneLineError(CliRun run, String fragment) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.errLines()).hasSize(1);
        assertThat(run.err()).startsWith("recur: ").contains(fragment).doesNotContain("Exception", "\tat ");
    }

    @Test
    void hugeHeaderFailsCleanlyInASmallSeparateJvm() throws Exception {
        Path file = dir.resolve("huge.safetensors");
        Files.write(file, HostileSafetensors.hugeHeader());
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx64m", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), "dev.recur.cli.Main", "inspect", file.toString()));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertThat(code).as(err).isEqualTo(2);
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("recur: " + file + ": header length: expected at most 100000000 bytes")
                .doesNotContain("Exception", "OutOfMemoryError");
        assertThat(err).doesNotContain("Exception", "OutOfMemoryError");
    }
}
