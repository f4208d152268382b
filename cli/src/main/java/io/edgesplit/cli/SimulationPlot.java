package io.edgesplit.cli;

import io.edgesplit.router.sim.BandwidthTrace;
import io.edgesplit.router.sim.RequestRecord;
import io.edgesplit.router.sim.SimulationReport;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a simulation with XChart, headless: latency of every request over time, one series per
 * policy, with the deadline as a dashed line (log scale when latencies span more than 30x), above a
 * panel with the uplink and downlink bandwidth (mean rate per plot bin, so outages shorter than a bin
 * show as dips). Writes a PNG of {@link #WIDTH} x {@link #HEIGHT} pixels.
 */
final class SimulationPlot {

    static final int WIDTH = 1200;
    static final int HEIGHT = 800;
    static final int LATENCY_HEIGHT = 520;
    /** Bandwidth is drawn as the mean rate in at most this many bins. */
    static final int BANDWIDTH_BINS = 1500;

    private SimulationPlot() {
    }

    static void write(SimulationReport report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart latency = latencyChart(report);
        XYChart bandwidth = bandwidthChart(report);
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            latency.paint(g, WIDTH, LATENCY_HEIGHT);
            g.translate(0, LATENCY_HEIGHT);
            bandwidth.paint(g, WIDTH, HEIGHT - LATENCY_HEIGHT);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer in this Java runtime");
        }
    }

    private static XYChart latencyChart(SimulationReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(LATENCY_HEIGHT)
                .title("Latency per request: " + report.setup().getOrDefault("package", ""))
                .xAxisTitle("time (s)").yAxisTitle("latency (ms)").build();
        style(chart);
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (Map.Entry<String, List<RequestRecord>> e : report.records().entrySet()) {
            List<RequestRecord> rs = e.getValue();
            double[] x = new double[rs.size()];
            double[] y = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                x[i] = rs.get(i).startMillis() / 1000;
                y[i] = Math.max(rs.get(i).latencyMillis(), 0.01);
                min = Math.min(min, y[i]);
                max = Math.max(max, y[i]);
            }
            XYSeries s = chart.addSeries(String.format(java.util.Locale.ROOT, "%s (mean %.0f ms)", e.getKey(),
                    report.stats(e.getKey()).meanLatencyMillis()), x, y);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(1.2f);
        }
        double deadline = report.budgets().deadlineMillis();
        if (!Double.isInfinite(deadline)) {
            XYSeries d = chart.addSeries("deadline", new double[] {0, report.durationMillis() / 1000},
                    new double[] {deadline, deadline});
            d.setMarker(SeriesMarkers.NONE);
            d.setLineColor(Color.RED);
            d.setLineStyle(SeriesLines.DASH_DASH);
            max = Math.max(max, deadline);
            min = Math.min(min, deadline);
        }
        if (max / min > 30) {
            chart.getStyler().setYAxisLogarithmic(true);
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(report.durationMillis() / 1000);
        return chart;
    }

    private static XYChart bandwidthChart(SimulationReport report) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT - LATENCY_HEIGHT)
                .title("Bandwidth (mean per " + binLabel(report) + ")").xAxisTitle("time (s)").yAxisTitle("Mbit/s")
                .build();
        style(chart);
        BandwidthTrace up = report.uplinkTrace();
        BandwidthTrace down = report.downlinkTrace();
        addTrace(chart, (down == up ? "uplink and downlink: " : "uplink: ") + up.name(), up, report.durationMillis(),
                new Color(0, 114, 178));
        if (down != up) {
            addTrace(chart, "downlink: " + down.name(), down, report.durationMillis(), new Color(230, 159, 0));
        }
        chart.getStyler().setXAxisMin(0.0).setXAxisMax(report.durationMillis() / 1000);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    private static String binLabel(SimulationReport report) {
        double bin = binMillis(report.durationMillis());
        return bin >= 1000 ? String.format(java.util.Locale.ROOT, "%.1f s", bin / 1000)
                : String.format(java.util.Locale.ROOT, "%.0f ms", bin);
    }

    private static double binMillis(double durationMillis) {
        return Math.max(100, durationMillis / BANDWIDTH_BINS);
    }

    private static void addTrace(XYChart chart, String name, BandwidthTrace trace, double durationMillis, Color color) {
        double bin = binMillis(durationMillis);
        int bins = (int) Math.ceil(durationMillis / bin);
        double[] x = new double[2 * bins];
        double[] y = new double[2 * bins];
        for (int i = 0; i < bins; i++) {
            double from = i * bin;
            double to = Math.min(durationMillis, from + bin);
            double mbps = trace.bitsDeliverable(from, to) / (to - from) / 1000; // bits per ms / 1000 = Mbit/s
            x[2 * i] = from / 1000;
            x[2 * i + 1] = to / 1000;
            y[2 * i] = mbps;
            y[2 * i + 1] = mbps;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineWidth(1.2f);
    }

    private static void style(XYChart chart) {
        XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 210));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        s.setXAxisDecimalPattern("#,##0");
        s.setPlotContentSize(0.96);
        s.setChartPadding(8);
    }
}
