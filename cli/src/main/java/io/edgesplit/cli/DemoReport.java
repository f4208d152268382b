package io.edgesplit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.common.Percentiles;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.Plan;
import io.edgesplit.runtime.InferenceResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What happened in a demo run: one row per picture, the events, and the tables and JSON made from them. */
final class DemoReport {

    /** Something the demo's script did (or saw happen), and when. */
    record Event(double atSeconds, String what) {
    }

    /** One inference. */
    static final class Row {
        final double atSeconds;
        final String where; // "device", "edge", "cloud", or "fallback" (planned remote, ran on the device)
        final String plan;
        final String variant;
        final double width;
        final double latencyMillis;
        final double predictedMillis;
        final double energyMillijoules;
        final long bytesSent;
        final long bytesReceived;
        final double uplinkMbps;
        final double uplinkEstimateMbps;
        final double deadlineMillis;
        final String label;
        final String fallbackCause;

        Row(double atSeconds, InferenceResult r, double uplinkMbps, double uplinkEstimateMbps, double deadlineMillis,
                String label) {
            Plan p = r.plan();
            this.atSeconds = atSeconds;
            this.where = r.fellBack() ? "fallback" : p.isLocal() ? "device" : p.target().kind().name().toLowerCase(
                    Locale.ROOT);
            this.plan = p.describe();
            this.variant = p.variantId();
            this.width = p.width();
            this.latencyMillis = r.totalNanos() / 1e6;
            this.predictedMillis = r.predicted().latencyMillis();
            this.energyMillijoules = r.energyMillijoules();
            this.bytesSent = r.bytesSent();
            this.bytesReceived = r.bytesReceived();
            this.uplinkMbps = uplinkMbps;
            this.uplinkEstimateMbps = uplinkEstimateMbps;
            this.deadlineMillis = deadlineMillis;
            this.label = label;
            this.fallbackCause = r.fallbackCause() == null ? null : r.fallbackCause().toString();
        }

        boolean missed() {
            return latencyMillis > deadlineMillis;
        }
    }

    final DemoData data;
    final ModelPackage pkg;
    final Budgets startBudgets;
    final DemoRun.DemoOptions options;
    final double rttMillis;
    final DemoCalibration calibration;
    final List<Row> rows = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    int widthSwitches;
    int telemetryMessages;
    ObjectNode stats;
    double wallSeconds;
    String plotFile;

    DemoReport(DemoData data, ModelPackage pkg, Budgets startBudgets, DemoRun.DemoOptions options, double rttMillis,
            DemoCalibration calibration) {
        this.data = data;
        this.pkg = pkg;
        this.startBudgets = startBudgets;
        this.options = options;
        this.rttMillis = rttMillis;
        this.calibration = calibration;
    }

    synchronized Row add(double at, InferenceResult r, double uplinkMbps, double estimateMbps, double deadline,
            String label) {
        Row row = new Row(at, r, uplinkMbps, estimateMbps, deadline, label);
        if (!rows.isEmpty() && !rows.get(rows.size() - 1).variant.equals(row.variant)) {
            widthSwitches++;
        }
        rows.add(row);
        return row;
    }

    synchronized void event(double at, String text) {
        events.add(new Event(at, text));
    }

    long count(String where) {
        return rows.stream().filter(r -> r.where.equals(where)).count();
    }

    private static double[] latencies(List<Row> rows) {
        double[] v = rows.stream().mapToDouble(r -> r.latencyMillis).toArray();
        Arrays.sort(v);
        return v;
    }

    /** Rows grouped into {@code n} equal time windows. */
    List<List<Row>> windows(int n) {
        List<List<Row>> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(new ArrayList<>());
        }
        for (Row r : rows) {
            int i = (int) Math.min(n - 1, Math.max(0, r.atSeconds / options.durationSeconds * n));
            w.get(i).add(r);
        }
        return w;
    }

    void printSummary(PrintWriter out) {
        out.println();
        out.println("Plans over time (" + rows.size() + " pictures; deadline and accuracy floor are hard, energy is "
                + "minimized)");
        out.printf(Locale.ROOT, "%-11s %8s  %-31s %-34s %7s %7s %9s %6s %8s%n", "time", "uplink", "where it ran",
                "most chosen plan", "p50 ms", "p95 ms", "deadline", "missed", "mJ/pic");
        int n = Math.max(1, (int) Math.round(options.durationSeconds / 10));
        double step = options.durationSeconds / n;
        List<List<Row>> windows = windows(n);
        for (int i = 0; i < n; i++) {
            List<Row> w = windows.get(i);
            String range = String.format(Locale.ROOT, "%3.0f-%3.0f s", i * step, (i + 1) * step);
            if (w.isEmpty()) {
                out.printf(Locale.ROOT, "%-11s (no pictures)%n", range);
                continue;
            }
            double[] lat = latencies(w);
            double uplink = w.stream().mapToDouble(r -> r.uplinkMbps).average().orElse(Double.NaN);
            double energy = w.stream().mapToDouble(r -> r.energyMillijoules).average().orElse(Double.NaN);
            long missed = w.stream().filter(Row::missed).count();
            double deadline = w.get(w.size() - 1).deadlineMillis;
            out.printf(Locale.ROOT, "%-11s %5.1f Mb  %-31s %-34s %7.1f %7.1f %6.0f ms %6d %8.1f%n", range, uplink,
                    mix(w), truncate(mostCommon(w), 34), Percentiles.ofSorted(lat, 50), Percentiles.ofSorted(lat, 95), deadline, missed,
                    energy);
        }
        out.println();
        double[] all = latencies(rows);
        long offloaded = rows.stream().filter(r -> r.where.equals("edge") || r.where.equals("cloud")).count();
        long missed = rows.stream().filter(Row::missed).count();
        double energy = rows.stream().mapToDouble(r -> r.energyMillijoules).sum();
        long up = rows.stream().mapToLong(r -> r.bytesSent).sum();
        long down = rows.stream().mapToLong(r -> r.bytesReceived).sum();
        out.printf(Locale.ROOT, "Pictures        %d: %d on the device, %d split/offloaded to the edge, %d fell back to "
                + "the device%n", rows.size(), count("device"), offloaded, count("fallback"));
        out.printf(Locale.ROOT, "Latency         p50 %.1f ms, p95 %.1f ms; %d of %d over their deadline%n",
                Percentiles.ofSorted(all, 50), Percentiles.ofSorted(all, 95), missed, rows.size());
        out.printf(Locale.ROOT, "Energy          %.2f J in total, %.1f mJ per picture (device compute + radio)%n",
                energy / 1000, rows.isEmpty() ? Double.NaN : energy / rows.size());
        out.printf(Locale.ROOT, "Bytes           %s sent, %s received%n", InspectCommand.bytes(up), InspectCommand.bytes(down));
        out.printf(Locale.ROOT, "Width switches  %d (warm sessions: no model is loaded when the width changes)%n",
                widthSwitches);
        out.printf(Locale.ROOT, "Telemetry       %d messages reached the fleet controller over MQTT%n",
                telemetryMessages);
        out.println();
        out.println("Events");
        for (Event e : events) {
            out.printf(Locale.ROOT, "  %5.1f s  %s%n", e.atSeconds(), e.what());
        }
    }

    private String mix(List<Row> w) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String k : new String[] {"device", "edge", "cloud", "fallback"}) {
            int c = (int) w.stream().filter(r -> r.where.equals(k)).count();
            if (c > 0) {
                counts.put(k, c);
            }
        }
        StringBuilder s = new StringBuilder();
        counts.forEach((k, c) -> {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(k).append(' ').append(Math.round(100.0 * c / w.size())).append('%');
        });
        return s.toString();
    }

    private static String mostCommon(List<Row> w) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Row r : w) {
            counts.merge(r.where.equals("fallback") ? r.plan + " (fell back)" : r.plan, 1, Integer::sum);
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
    }

    private static String truncate(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    ObjectNode toJson(ObjectMapper mapper) {
        ObjectNode n = mapper.createObjectNode();
        n.put("models", data.modelsDescription);
        n.put("trace", data.traceDescription);
        n.put("package", pkg.directory().toString());
        n.put("durationSeconds", options.durationSeconds);
        n.put("traceSpeed", options.speed);
        n.put("link", options.link);
        n.put("wallSeconds", Math.round(wallSeconds * 10) / 10.0);
        n.put("startBudgets", startBudgets.toString());
        n.put("widthSwitches", widthSwitches);
        n.put("telemetryMessages", telemetryMessages);
        if (plotFile != null) {
            n.put("plot", plotFile);
        }
        if (stats != null) {
            n.set("runtimeStats", stats);
        }
        ArrayNode ev = n.putArray("events");
        for (Event e : events) {
            ev.addObject().put("atSeconds", Math.round(e.atSeconds() * 1000) / 1000.0).put("what", e.what());
        }
        ArrayNode rs = n.putArray("inferences");
        for (Row r : rows) {
            ObjectNode o = rs.addObject();
            o.put("atSeconds", Math.round(r.atSeconds * 1000) / 1000.0);
            o.put("where", r.where);
            o.put("plan", r.plan);
            o.put("width", r.width);
            o.put("latencyMs", Math.round(r.latencyMillis * 100) / 100.0);
            o.put("predictedMs", Math.round(r.predictedMillis * 100) / 100.0);
            o.put("deadlineMs", r.deadlineMillis);
            o.put("energyMj", Math.round(r.energyMillijoules * 100) / 100.0);
            o.put("bytesSent", r.bytesSent);
            o.put("bytesReceived", r.bytesReceived);
            o.put("uplinkMbps", Math.round(r.uplinkMbps * 100) / 100.0);
            if (!Double.isNaN(r.uplinkEstimateMbps)) {
                o.put("uplinkEstimateMbps", Math.round(r.uplinkEstimateMbps * 100) / 100.0);
            }
            o.put("top1", r.label);
            if (r.fallbackCause != null) {
                o.put("fallbackCause", r.fallbackCause);
            }
        }
        return n;
    }
}
