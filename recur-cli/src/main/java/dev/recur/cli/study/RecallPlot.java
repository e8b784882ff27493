package dev.recur.cli.study;

import dev.recur.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the recall study as a PNG: answer accuracy against the share of attention blocks, one line per family. */
public final class RecallPlot {
    static {
        // Must be set before AWT initialises; rendering to an image needs no display.
        System.setProperty("java.awt.headless", "true");
    }

    private RecallPlot() {}

    /** Writes the PNG (atomically) for {@code results}. */
    public static void write(List<RecallResult> results, Path png, String title) throws IOException {
        AtomicFiles.write(png, render(results, title));
    }

    /** The PNG bytes. */
    public static byte[] render(List<RecallResult> results, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("share of attention blocks").yAxisTitle("MQAR answer accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setAntiAlias(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        Map<String, List<RecallResult>> byFamily = new LinkedHashMap<>();
        for (RecallResult r : results) {
            byFamily.computeIfAbsent(r.family(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<RecallResult>> e : byFamily.entrySet()) {
            List<RecallResult> rows = new ArrayList<>(e.getValue());
            rows.sort((a, b) -> Double.compare(a.ratio().attentionShare(), b.ratio().attentionShare()));
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (RecallResult r : rows) {
                x.add(r.ratio().attentionShare());
                y.add(100 * r.accuracy());
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineWidth(2f);
        }
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
