package dev.recur.train.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    @TempDir
    Path dir;

    @Test
    void rowsRoundTripWithFieldsInAStableOrder() throws IOException {
        Path file = dir.resolve("run/metrics.jsonl");
        List<MetricsRow> rows = List.of(
                new MetricsRow(1, 5.541263580322266, 3.0e-4, 12345.5),
                new MetricsRow(2, 4.25, 2.9999e-4, 13000, Map.of("val_bpb", 2.125, "grad_norm", 0.75)),
                new MetricsRow(3, 1e-300, 0, 1e9, Map.of("z_last", -0.0)));
        try (MetricsLog log = MetricsLog.create(file)) {
            for (MetricsRow r : rows) {
                log.append(r);
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines.get(0)).isEqualTo("{\"step\":1,\"loss\":5.541263580322266,\"lr\":3.0E-4,"
                + "\"tokens_per_s\":12345.5}");
        assertThat(lines.get(1)).isEqualTo("{\"step\":2,\"loss\":4.25,\"lr\":2.9999E-4,\"tokens_per_s\":13000.0,"
                + "\"grad_norm\":0.75,\"val_bpb\":2.125}");
        List<MetricsRow> back = MetricsLog.read(file);
        assertThat(back).isEqualTo(rows);
        assertThat(back.get(1).extra("val_bpb")).isEqualTo(2.125);
        assertThat(back.get(0).extra("val_bpb")).isNaN();
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNullAndReadAsNaN() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.append(new MetricsRow(7, Double.NaN, 1e-3, Double.POSITIVE_INFINITY,
                    Map.of("val_bpb", Double.NEGATIVE_INFINITY)));
        }
        String text = Files.readString(file);
        assertThat(text).isEqualTo("{\"step\":7,\"loss\":null,\"lr\":0.001,\"tokens_per_s\":null,\"val_bpb\":null}\n");
        assertThat(text).doesNotContain("NaN").doesNotContain("Infinity");
        MetricsRow row = MetricsLog.read(file).get(0);
        assertThat(row.loss()).isNaN();
        assertThat(row.tokensPerSecond()).isNaN();
        assertThat(row.extra("val_bpb")).isNaN();
        assertThat(row.learningRate()).isEqualTo(1e-3);
    }

    @Test
    void eachLineIsOnDiskBeforeTheNextAppend() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            log.append(new MetricsRow(1, 2, 3, 4));
            assertThat(MetricsLog.read(file)).hasSize(1);
            log.append(new MetricsRow(2, 2, 3, 4));
            assertThat(MetricsLog.read(file)).hasSize(2);
        }
    }

    @Test
    void aTornLastLineIsIgnoredButAMalformedMiddleLineIsReported() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"step\":1,\"loss\":2.0,\"lr\":0.1,\"tokens_per_s\":5.0}\n{\"step\":2,\"lo");
        assertThat(MetricsLog.read(file)).extracting(MetricsRow::step).containsExactly(1L);

        Files.writeString(file, "{\"step\":1,\"loss\":2.0}\n{\"step\":2,\"lo\n{\"step\":3}\n");
        assertThatThrownBy(() -> MetricsLog.read(file)).isInstanceOf(RecurException.class)
                .hasMessageContaining("metrics.jsonl:2");
        Files.writeString(file, "{\"step\":-1}\n");
        assertThatThrownBy(() -> MetricsLog.read(file)).isInstanceOf(RecurException.class)
                .hasMessageContaining("step expected a non-negative integer");
        Files.writeString(file, "{\"step\":1,\"loss\":\"high\"}\n");
        assertThatThrownBy(() -> MetricsLog.read(file)).isInstanceOf(RecurException.class)
                .hasMessageContaining("loss expected a number or null");
    }

    @Test
    void resumeDropsRowsAfterTheCheckpointStepAndAppends() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(file)) {
            for (long s = 1; s <= 5; s++) {
                log.append(new MetricsRow(s, 10 - s, 0.1, 100));
            }
        }
        Files.writeString(file, "{\"step\":6,\"lo", StandardOpenOption.APPEND);
        try (MetricsLog log = MetricsLog.resume(file, 3)) {
            log.append(new MetricsRow(4, 0.5, 0.1, 100));
        }
        List<MetricsRow> rows = MetricsLog.read(file);
        assertThat(rows).extracting(MetricsRow::step).containsExactly(1L, 2L, 3L, 4L);
        assertThat(rows.get(3).loss()).isEqualTo(0.5);
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).endsWith("}\n");
    }

    @Test
    void extrasCannotShadowFixedFields() {
        assertThatThrownBy(() -> new MetricsRow(1, 1, 1, 1, Map.of("loss", 2.0)))
                .isInstanceOf(RecurException.class).hasMessageContaining("other than");
        assertThatThrownBy(() -> new MetricsRow(-1, 1, 1, 1)).isInstanceOf(RecurException.class);
    }
}
