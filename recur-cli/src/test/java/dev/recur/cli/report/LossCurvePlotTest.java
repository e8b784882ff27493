package dev.recur.cli.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.recur.core.RecurException;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCurvePlotTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    private static List<MetricsRow> rows(boolean withValidation) {
        List<MetricsRow> rows = new ArrayList<>();
        for (int step = 1; step <= 300; step++) {
            double loss = 5.5 * Math.exp(-step / 80.0) + 1.1 + 0.05 * Math.sin(step);
            MetricsRow r = new MetricsRow(step, step == 17 ? Double.NaN : loss, 1e-3, 20_000);
            if (withValidation && step % 50 == 0) {
                r = r.with("val_bpb", 1.0 / Math.log(2) * (loss + 0.1));
            }
            rows.add(r);
        }
        return rows;
    }

    @Test
    void writesAPngOfTheRequestedSizeFromMetricsJsonl() throws IOException {
        Path metrics = dir.resolve("metrics.jsonl");
        try (MetricsLog log = MetricsLog.create(metrics)) {
            for (MetricsRow r : rows(true)) {
                log.append(r);
            }
        }
        Path png = dir.resolve("plots/loss.png");
        LossCurvePlot.write(metrics, png, "lstm on moby-dick");
        assertThat(png).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
        assertThat(bytes.length).isBetween(5_000, 2_000_000);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertThat(image.getWidth()).isEqualTo(LossCurvePlot.DEFAULT_WIDTH);
        assertThat(image.getHeight()).isEqualTo(LossCurvePlot.DEFAULT_HEIGHT);
        try (var left = Files.list(png.getParent())) {
            assertThat(left).as("no temporary file left behind").containsExactly(png);
        }
    }

    @Test
    void theValidationSeriesChangesThePicture() throws IOException {
        byte[] without = LossCurvePlot.render(rows(false), "run", 400, 300);
        byte[] with = LossCurvePlot.render(rows(true), "run", 400, 300);
        BufferedImage a = ImageIO.read(new ByteArrayInputStream(without));
        BufferedImage b = ImageIO.read(new ByteArrayInputStream(with));
        int differing = 0;
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    differing++;
                }
            }
        }
        assertThat(differing).as("pixels that differ once the second axis and series appear").isGreaterThan(500);
    }

    @Test
    void rowsWithoutAFiniteLossCannotBePlotted() {
        List<MetricsRow> rows = List.of(new MetricsRow(1, Double.NaN, 1e-3, 1, Map.of("val_bpb", 2.0)));
        assertThatThrownBy(() -> LossCurvePlot.render(rows, "t", 400, 300)).isInstanceOf(RecurException.class)
                .hasMessageContaining("finite training loss");
        assertThatThrownBy(() -> LossCurvePlot.render(rows(false), "t", 10, 300))
                .isInstanceOf(RecurException.class).hasMessageContaining("got 10x300");
    }
}
