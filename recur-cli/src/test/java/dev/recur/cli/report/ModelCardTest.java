package dev.recur.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.recur.core.RecurException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCardTest {
    private static final String SHA = "3a19c43c7ade3e2bf8f6647b3db6381aa2de820f1b6bbe49e55bd2e65146393f";

    @TempDir
    Path dir;

    record TrainConfig(String model, int dModel, int seqLen, double lr, List<Integer> schedule) {}

    private static ModelCard card(Object config, Map<String, Double> metrics) {
        return new ModelCard("lstm-moby", "lstm*2, d_model 256", 1_234_567, "moby-dick (npm package)", SHA, 42,
                config, metrics, List.of(new CompressionBaseline.Result("xz -9e", 1000, 275, ""),
                        new CompressionBaseline.Result("bzip2 -9", 1000, -1, "not available")),
                Instant.parse("2026-11-26T05:00:00Z"), "0.1.0-SNAPSHOT");
    }

    @Test
    void theCardNamesProvenanceMetricsBaselinesAndTheConfig() throws Exception {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("val_bpb", 1.98765);
        metrics.put("train_loss", Double.NaN);
        metrics.put("tokens_seen", 1.2e9);
        TrainConfig config = new TrainConfig("lstm", 256, 128, 3e-4, List.of(100, 2000));
        Path file = card(config, metrics).write(dir);

        assertThat(file).isEqualTo(dir.resolve("MODEL_CARD.md"));
        String md = Files.readString(file);
        assertThat(md).startsWith("# lstm-moby\n")
                .contains("| Architecture | lstm*2, d_model 256 |")
                .contains("| Parameters | 1,234,567 |")
                .contains("| Data sha256 | `" + SHA + "` |")
                .contains("| Seed | 42 |")
                .contains("| Date | 2026-11-26T05:00:00Z |")
                .contains("| Recur version | 0.1.0-SNAPSHOT |")
                .contains("| val_bpb | 1.9877 |")
                .contains("| train_loss | n/a |")
                .contains("| tokens_seen | 1.2000e+09 |")
                .contains("| xz -9e | 2.200 |")
                .contains("| bzip2 -9 | not available |");
        // Metrics keep the caller's order.
        assertThat(md.indexOf("val_bpb")).isLessThan(md.indexOf("train_loss"));

        String json = md.substring(md.indexOf("```json\n") + 8, md.lastIndexOf("\n```"));
        Map<String, Object> parsed = new ObjectMapper().readValue(json,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
        assertThat(parsed).containsEntry("model", "lstm").containsEntry("dModel", 256)
                .containsEntry("seqLen", 128).containsEntry("lr", 3e-4)
                .containsEntry("schedule", List.of(100, 2000));
        assertThat(parsed).hasSize(5);
    }

    @Test
    void aMarkdownBreakingValueStaysInItsCell() {
        ModelCard c = new ModelCard("m", "a|b\nc", 1, "src", SHA, 0, Map.of(), Map.of(), List.of(),
                Instant.EPOCH, "v");
        assertThat(c.toMarkdown()).contains("| Architecture | a\\|b c |").contains("None recorded.")
                .doesNotContain("Compression baselines");
    }

    @Test
    void badFieldsAreRejected() {
        assertThatThrownBy(() -> new ModelCard("m", "a", 1, "src", "not-a-sha", 0, Map.of(), Map.of(), List.of(),
                Instant.EPOCH, "v")).isInstanceOf(RecurException.class).hasMessageContaining("dataSha256");
        assertThatThrownBy(() -> new ModelCard(" ", "a", 1, "src", SHA, 0, Map.of(), Map.of(), List.of(),
                Instant.EPOCH, "v")).isInstanceOf(RecurException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> new ModelCard("m", "a", -1, "src", SHA, 0, Map.of(), Map.of(), List.of(),
                Instant.EPOCH, "v")).isInstanceOf(RecurException.class).hasMessageContaining("parameterCount");
    }
}
