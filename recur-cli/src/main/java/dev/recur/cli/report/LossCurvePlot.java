package dev.recur.cli.report;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.train.metrics.MetricsLog;
import dev.recur.train.metrics.MetricsRow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a run's loss curve as a PNG: training loss against step on the left axis and, when the rows carry
 * {@value #VALIDATION} (or another named extra, such as a task's held-out accuracy), that on a right axis. Rows whose value is NaN (not measured) are left
 * out of that series. Rendering is headless (no display needed).
 */
public final class LossCurvePlot {
    /** The metrics extra plotted on the second axis. */
    public static final String VALIDATION = "val_bpb";
    public static final int DEFAULT_WIDTH = 1000;
    public static final int DEFAULT_HEIGHT = 600;

    static {
        // Must be set before AWT initialises; rendering to an image needs no display.
        System.setProperty("java.awt.headless", "true");
    }

    private LossCurvePlot() {}

    /** Reads {@code metrics.jsonl} and writes the PNG. */
    public static void write(Path metricsJsonl, Path png, String title) throws IOException {
        write(MetricsLog.read(metricsJsonl), png, title);
    }

    /** Writes the PNG (atomically) for {@code rows}. */
    public static void write(List<MetricsRow> rows, Path png, String title) throws IOException {
        write(rows, png, title, VALIDATION, "validation bits/byte");
    }

    /**
     * Reads {@code metrics.jsonl} and writes the PNG with the extra {@code secondKey} (e.g.
     * {@code answer_accuracy}) on the right axis, titled {@code secondLabel}.
     */
    public static void write(Path metricsJsonl, Path png, String title, String secondKey, String secondLabel)
            throws IOException {
        write(MetricsLog.read(metricsJsonl), png, title, secondKey, secondLabel);
    }

    private static void write(List<MetricsRow> rows, Path png, String title, String secondKey, String secondLabel)
            throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        AtomicFiles.write(png, render(rows, title, DEFAULT_WIDTH, DEFAULT_HEIGHT, secondKey, secondLabel));
    }

    /**
     * The PNG bytes.
     *
     * @throws RecurException when no row has a finite training loss
     */
    public static byte[] render(List<MetricsRow> rows, String title, int width, int height) throws IOException {
        return render(rows, title, width, height, VALIDATION, "validation bits/byte");
    }

    /** The PNG bytes, with the extra {@code secondKey} on the right axis. */
    public static byte[] render(List<MetricsRow> rows, String title, int width, int height, String secondKey,
                                String secondLabel) throws IOException {
        if (width < 100 || height < 100) {
            throw new RecurException("LossCurvePlot: expected a size of at least 100x100 pixels, got " + width
                    + "x" + height);
        }
        List<Double> lossSteps = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> valSteps = new ArrayList<>();
        List<Double> vals = new ArrayList<>();
        for (MetricsRow r : rows) {
            if (Double.isFinite(r.loss())) {
                lossSteps.add((double) r.step());
                losses.add(r.loss());
            }
            double v = r.extra(secondKey);
            if (Double.isFinite(v)) {
                valSteps.add((double) r.step());
                vals.add(v);
            }
        }
        if (losses.isEmpty()) {
            throw new RecurException("LossCurvePlot: expected metrics rows with a finite training loss, got "
                    + rows.size() + " rows and none");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("step").yAxisTitle("training loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setAntiAlias(true);
        XYSeries loss = chart.addSeries("training loss", lossSteps, losses);
        loss.setMarker(SeriesMarkers.NONE);
        loss.setLineWidth(1.2f);
        if (!vals.isEmpty()) {
            XYSeries val = chart.addSeries(secondLabel, valSteps, vals);
            val.setYAxisGroup(1);
            val.setMarker(vals.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            val.setLineWidth(2f);
            chart.setYAxisGroupTitle(1, secondLabel);
            chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
