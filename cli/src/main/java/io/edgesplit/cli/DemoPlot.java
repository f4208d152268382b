package io.edgesplit.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo as a picture (XChart, headless PNG): latency of every picture coloured by where it ran,
 * with the deadline in force; the link's uplink rate (the trace) against what the runtime estimated;
 * and the width and energy of every picture. Events (server crash, return, config push) are drawn
 * as vertical lines across all three panels.
 */
final class DemoPlot {

    static final int WIDTH = 1200;
    static final int[] HEIGHTS = {380, 240, 240};
    static final Color DEVICE = new Color(0, 114, 178);
    static final Color EDGE = new Color(0, 158, 115);
    static final Color FALLBACK = new Color(213, 94, 0);
    static final Color EVENT = new Color(120, 120, 120);

    private DemoPlot() {
    }

    static void write(DemoReport report, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart[] charts = {latency(report), bandwidth(report), widthAndEnergy(report)};
        int height = 0;
        for (int h : HEIGHTS) {
            height += h;
        }
        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            for (int i = 0; i < charts.length; i++) {
                charts[i].paint(g, WIDTH, HEIGHTS[i]);
                g.translate(0, HEIGHTS[i]);
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException(file + ": no PNG writer in this Java runtime");
        }
    }

    private static XYChart latency(DemoReport r) {
        XYChart c = chart(r, HEIGHTS[0], "Latency per picture (" + r.data.familyName + ", uplink trace " + r.data.trace.uplinkCapacity(io.edgesplit.router.sim.LinkTrace.UplinkSource.AUTO).name()
                + " at " + DemoRun.fmt(r.options.speed) + "x)", "latency (ms)");
        double max = 1;
        for (String where : new String[] {"device", "edge", "fallback"}) {
            List<double[]> pts = new ArrayList<>();
            for (DemoReport.Row row : r.rows) {
                if (row.where.equals(where)) {
                    pts.add(new double[] {row.atSeconds, row.latencyMillis});
                    max = Math.max(max, row.latencyMillis);
                }
            }
            if (!pts.isEmpty()) {
                XYSeries s = c.addSeries(label(where, pts.size()), xs(pts), ys(pts));
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(color(where));
            }
        }
        List<double[]> deadline = new ArrayList<>();
        for (DemoReport.Row row : r.rows) {
            if (deadline.isEmpty() || deadline.get(deadline.size() - 1)[1] != row.deadlineMillis) {
                if (!deadline.isEmpty()) {
                    deadline.add(new double[] {row.atSeconds, deadline.get(deadline.size() - 1)[1]});
                }
                deadline.add(new double[] {row.atSeconds, row.deadlineMillis});
            }
            max = Math.max(max, row.deadlineMillis);
        }
        if (!deadline.isEmpty()) {
            deadline.add(new double[] {r.options.durationSeconds, deadline.get(deadline.size() - 1)[1]});
            XYSeries d = c.addSeries("deadline", xs(deadline), ys(deadline));
            d.setMarker(SeriesMarkers.NONE);
            d.setLineColor(Color.RED);
            d.setLineStyle(SeriesLines.DASH_DASH);
        }
        events(c, r, max * 1.05);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(max * 1.1);
        return c;
    }

    private static XYChart bandwidth(DemoReport r) {
        XYChart c = chart(r, HEIGHTS[1], "Uplink: the trace (truth) and the runtime's estimate", "Mbit/s");
        List<double[]> truth = new ArrayList<>();
        List<double[]> est = new ArrayList<>();
        double max = 1;
        for (DemoReport.Row row : r.rows) {
            truth.add(new double[] {row.atSeconds, row.uplinkMbps});
            if (!Double.isNaN(row.uplinkEstimateMbps)) {
                est.add(new double[] {row.atSeconds, row.uplinkEstimateMbps});
            }
            max = Math.max(max, Math.max(row.uplinkMbps, Double.isNaN(row.uplinkEstimateMbps) ? 0
                    : row.uplinkEstimateMbps));
        }
        if (!truth.isEmpty()) {
            XYSeries s = c.addSeries("trace uplink", xs(truth), ys(truth));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(DEVICE);
        }
        if (!est.isEmpty()) {
            XYSeries s = c.addSeries("runtime's estimate", xs(est), ys(est));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(FALLBACK);
            s.setLineStyle(SeriesLines.DASH_DOT);
        }
        events(c, r, max * 1.05);
        c.getStyler().setYAxisMin(0.0).setYAxisMax(max * 1.1);
        return c;
    }

    private static XYChart widthAndEnergy(DemoReport r) {
        XYChart c = chart(r, HEIGHTS[2], "Width chosen (left) and energy per picture (right)", "width");
        List<double[]> width = new ArrayList<>();
        List<double[]> energy = new ArrayList<>();
        for (DemoReport.Row row : r.rows) {
            width.add(new double[] {row.atSeconds, row.width});
            if (!Double.isNaN(row.energyMillijoules)) {
                energy.add(new double[] {row.atSeconds, row.energyMillijoules});
            }
        }
        if (!width.isEmpty()) {
            XYSeries s = c.addSeries("width", xs(width), ys(width));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(DEVICE);
            s.setLineWidth(2f);
        }
        if (!energy.isEmpty()) {
            XYSeries s = c.addSeries("energy (mJ)", xs(energy), ys(energy));
            s.setYAxisGroup(1);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(EDGE);
        }
        c.setYAxisGroupTitle(1, "mJ");
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        c.getStyler().setYAxisMin(0, 0.0).setYAxisMax(0, 1.1);
        events(c, r, 1.05);
        return c;
    }

    private static XYChart chart(DemoReport r, int height, String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(height).title(title).xAxisTitle("time (s)")
                .yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setLegendBackgroundColor(new Color(255, 255, 255, 210));
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesVisible(true);
        s.setMarkerSize(4);
        s.setXAxisDecimalPattern("#,##0");
        s.setChartPadding(8);
        s.setXAxisMin(0.0).setXAxisMax(r.options.durationSeconds);
        return c;
    }

    /** Vertical lines at the events (in the first y-axis group). */
    private static void events(XYChart c, DemoReport r, double top) {
        for (int i = 0; i < r.events.size(); i++) {
            double at = r.events.get(i).atSeconds();
            XYSeries s = c.addSeries("event " + (i + 1), new double[] {at, at}, new double[] {0, top});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(EVENT);
            s.setLineStyle(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {2f, 3f},
                    0f));
            s.setShowInLegend(false);
        }
    }

    private static String label(String where, int n) {
        switch (where) {
            case "device":
                return String.format(Locale.ROOT, "on the device (%d)", n);
            case "edge":
                return String.format(Locale.ROOT, "split / offloaded to the edge (%d)", n);
            default:
                return String.format(Locale.ROOT, "edge failed, fell back to the device (%d)", n);
        }
    }

    private static Color color(String where) {
        switch (where) {
            case "device":
                return DEVICE;
            case "edge":
                return EDGE;
            default:
                return FALLBACK;
        }
    }

    private static double[] xs(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[0]).toArray();
    }

    private static double[] ys(List<double[]> pts) {
        return pts.stream().mapToDouble(p -> p[1]).toArray();
    }
}
