package dev.recur.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.io.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code recur generate}: greedy generation reproduces the transformers Mamba reference case's
 * {@code generated_ids}; sampling is reproducible by seed and stays in the vocabulary; bad flags and prompts
 * exit 2 without a stack trace.
 */
class GenerateCommandTest {
    private static String joined(int[] ids, int from) {
        return Arrays.stream(ids, from, ids.length).mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }

    @Test
    void greedyGenerationReproducesTheMambaReferenceCase() throws Exception {
        Path model = CliRun.golden("mamba");
        int[] prompt;
        int[] generated;
        try (SafetensorsFile io = SafetensorsFile.open(model.resolve("io.safetensors"))) {
            prompt = io.readInt("prompt_ids").data();
            generated = io.readInt("generated_ids").data();
        }
        CliRun r = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", joined(prompt, 0),
                "--max-new-tokens", String.valueOf(generated.length - prompt.length));
        assertThat(r.err()).isEmpty();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).isEqualTo(joined(generated, prompt.length));
        assertThat(r.out().lines()).hasSize(1);
    }

    @Test
    void samplingIsReproducibleBySeedAndInTheVocabulary() {
        Path model = CliRun.golden("mamba");
        String[] args = {"generate", "--model", model.toString(), "--prompt-ids", "3,17 5", "--max-new-tokens",
            "20", "--temperature", "1.5", "--top-k", "10", "--top-p", "0.95", "--seed", "42"};
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertThat(a.exitCode()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        String[] ids = a.out().strip().split(" ");
        assertThat(ids).hasSize(20);
        for (String id : ids) {
            assertThat(Integer.parseInt(id)).isBetween(0, 60);
        }
    }

    private static void assertUsageError(CliRun r, String fragment) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("recur: ").contains(fragment).doesNotContain("\tat ");
    }

    @Test
    void badFlagsAndPromptsExitTwo() {
        String model = CliRun.golden("mamba").toString();
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3 x", "--max-new-tokens", "2"),
                "'x' at position 1 is not an integer token id");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", " ", "--max-new-tokens", "2"),
                "--prompt-ids is empty");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3 99", "--max-new-tokens", "2"),
                "prompt id 99 at position 1 is outside the vocabulary [0, 61)");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt", "hello", "--max-new-tokens", "2"),
                "--prompt needs a tokenizer");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3", "--max-new-tokens", "-1"),
                "--max-new-tokens must be >= 0");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3", "--max-new-tokens", "2",
                "--temperature", "-1"), "temperature must be a finite number >= 0");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3", "--max-new-tokens", "2",
                "--top-p", "0"), "top-p must be in (0, 1]");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3", "--max-new-tokens", "two"),
                "--max-new-tokens");
        assertUsageError(CliRun.of("generate", "--model", model, "--prompt-ids", "3", "--prompt", "hi",
                "--max-new-tokens", "2"), "mutually exclusive");
        assertUsageError(CliRun.of("generate", "--model", model, "--max-new-tokens", "2"), "--prompt");
        assertUsageError(CliRun.of("generate", "--model", "/nonexistent", "--prompt-ids", "3",
                "--max-new-tokens", "2"), "no such file");
    }

    @Test
    void promptTextOnAByteLevelModelEqualsTheSameBytesAsIds(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path golden = CliRun.golden("mamba");
        Path model = Files.createDirectories(tmp.resolve("bytes"));
        Files.copy(golden.resolve("model.safetensors"), model.resolve("model.safetensors"));
        String config = Files.readString(golden.resolve("config.json"));
        Files.writeString(model.resolve("config.json"),
                config.replaceFirst("\\{", "{\"tokenizer\": \"bytes\", "));
        // '0' and '<' are bytes 48 and 60, inside this model's 61-token vocabulary.
        CliRun byIds = CliRun.of("generate", "--model", model.toString(), "--prompt-ids", "48 60",
                "--max-new-tokens", "5");
        CliRun byText = CliRun.of("generate", "--model", model.toString(), "--prompt", "0<",
                "--max-new-tokens", "5");
        assertThat(byIds.exitCode()).isZero();
        assertThat(byText.exitCode()).isZero();
        int[] ids = java.util.Arrays.stream(byIds.out().strip().split(" ")).mapToInt(Integer::parseInt).toArray();
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bytes[i] = (byte) ids[i];
        }
        assertThat(byText.out()).isEqualTo(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                + System.lineSeparator());
    }
}
