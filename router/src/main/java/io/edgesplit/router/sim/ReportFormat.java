package io.edgesplit.router.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.edgesplit.router.Target;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a {@link SimulationReport} is written: an aligned table for people, CSV (one row per policy,
 * fixed columns) and JSON (setup, run and per-policy figures; NaN as null) for machines.
 */
public enum ReportFormat {

    /** Setup lines, then one aligned row per policy. */
    TABLE {
        @Override
        public void write(SimulationReport r, Appendable out) throws IOException {
            for (Map.Entry<String, String> e : r.setup().entrySet()) {
                out.append(String.format(Locale.ROOT, "%-10s %s%n", e.getKey(), e.getValue()));
            }
            if (r.downlinkTrace() != null) {
                out.append(String.format(Locale.ROOT, "%-10s down %s (mean %.2f Mbit/s), up %s (mean %.2f Mbit/s)%n",
                        "trace", r.downlinkTrace().name(), r.downlinkTrace().meanBitsPerSecond() / 1e6,
                        r.uplinkTrace().name(), r.uplinkTrace().meanBitsPerSecond() / 1e6));
            }
            StringBuilder targets = new StringBuilder();
            for (int t = 1; t < r.targets().size(); t++) {
                Target target = r.targets().get(t);
                targets.append(t > 1 ? ", " : "").append(String.format(Locale.ROOT, "%s over %s (RTT %.0f ms)", target,
                        target.linkName(), r.rttMillis().get(t)));
            }
            if (targets.length() > 0) {
                out.append(String.format(Locale.ROOT, "%-10s %s%n", "targets", targets));
            }
            out.append(String.format(Locale.ROOT, "%-10s %d requests over %.1f s at %s/s (%s), seed %d, loss %s%n", "run",
                    r.requests(), r.durationMillis() / 1000, number(r.requestsPerSecond()), r.arrivals(), r.seed(),
                    number(r.lossRate())));
            out.append(String.format(Locale.ROOT, "%-10s %s%n%n", "budgets", r.budgets()));
            out.append(String.format(Locale.ROOT, "%-12s %9s %9s %9s %9s %7s %10s %10s %8s %8s %8s %9s  %s%n", "policy",
                    "mean ms", "p50 ms", "p95 ms", "p99 ms", "miss %", "energy mJ", "bytes", "accuracy", "switches",
                    "offload%", "err ms", "most used plan"));
            for (PolicyStats s : r.stats()) {
                out.append(String.format(Locale.ROOT, "%-12s %9.1f %9.1f %9.1f %9.1f %7s %10s %10.0f %8s %8d %8.1f %9.1f  %s (%.0f%%)%n",
                        s.policy(), s.meanLatencyMillis(), s.p50LatencyMillis(), s.p95LatencyMillis(),
                        s.p99LatencyMillis(), Double.isNaN(s.deadlineMissRate()) ? "-"
                                : String.format(Locale.ROOT, "%.1f", 100 * s.deadlineMissRate()),
                        Double.isNaN(s.meanEnergyMillijoules()) ? "-"
                                : String.format(Locale.ROOT, "%.1f", s.meanEnergyMillijoules()),
                        s.meanBytes(), Double.isNaN(s.meanAccuracy()) ? "-"
                                : String.format(Locale.ROOT, "%.3f", s.meanAccuracy()),
                        s.planSwitches(), 100 * s.offloadRate(), s.meanPredictionErrorMillis(), s.topPlan(),
                        100 * s.topPlanShare()));
            }
        }
    },

    /** A header row and one row per policy; empty cells for unknown values. */
    CSV {
        @Override
        public void write(SimulationReport r, Appendable out) throws IOException {
            out.append("policy,requests,mean_latency_ms,p50_latency_ms,p95_latency_ms,p99_latency_ms,max_latency_ms,"
                    + "deadline_miss_rate,mean_energy_mj,mean_bytes,mean_accuracy,plan_switches,offload_rate,"
                    + "mean_prediction_error_ms,budget_violation_rate,top_plan,top_plan_share\n");
            for (PolicyStats s : r.stats()) {
                out.append(String.join(",", s.policy(), Integer.toString(s.requests()), csv(s.meanLatencyMillis()),
                        csv(s.p50LatencyMillis()), csv(s.p95LatencyMillis()), csv(s.p99LatencyMillis()),
                        csv(s.maxLatencyMillis()), csv(s.deadlineMissRate()), csv(s.meanEnergyMillijoules()),
                        csv(s.meanBytes()), csv(s.meanAccuracy()), Integer.toString(s.planSwitches()),
                        csv(s.offloadRate()), csv(s.meanPredictionErrorMillis()), csv(s.budgetViolationRate()),
                        '"' + s.topPlan().replace("\"", "\"\"") + '"', csv(s.topPlanShare()))).append('\n');
            }
        }
    },

    /** {"setup": {...}, "run": {...}, "policies": [{...}]}; unknown values are null. */
    JSON {
        @Override
        public void write(SimulationReport r, Appendable out) throws IOException {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeObjectFieldStart("setup");
                for (Map.Entry<String, String> e : r.setup().entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                g.writeObjectFieldStart("run");
                g.writeNumberField("requests", r.requests());
                g.writeNumberField("durationSeconds", r.durationMillis() / 1000);
                g.writeNumberField("requestsPerSecond", r.requestsPerSecond());
                g.writeStringField("arrivals", r.arrivals());
                g.writeNumberField("seed", r.seed());
                g.writeNumberField("lossRate", r.lossRate());
                g.writeStringField("budgets", r.budgets().toString());
                g.writeStringField("objective", r.budgets().objective().toString());
                number(g, "deadlineMillis", r.budgets().deadlineMillis());
                if (r.downlinkTrace() != null) {
                    trace(g, "downlinkTrace", r.downlinkTrace());
                    trace(g, "uplinkTrace", r.uplinkTrace());
                }
                g.writeArrayFieldStart("targets");
                List<Target> targets = r.targets();
                for (int t = 0; t < targets.size(); t++) {
                    g.writeStartObject();
                    g.writeNumberField("index", t);
                    g.writeStringField("target", targets.get(t).toString());
                    g.writeStringField("kind", targets.get(t).kind().name().toLowerCase(Locale.ROOT));
                    g.writeStringField("profile", targets.get(t).profile().id());
                    if (t > 0) {
                        g.writeStringField("link", targets.get(t).linkName());
                        g.writeNumberField("rttMillis", r.rttMillis().get(t));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeArrayFieldStart("policies");
                for (PolicyStats s : r.stats()) {
                    g.writeStartObject();
                    g.writeStringField("policy", s.policy());
                    g.writeNumberField("requests", s.requests());
                    number(g, "meanLatencyMillis", s.meanLatencyMillis());
                    number(g, "p50LatencyMillis", s.p50LatencyMillis());
                    number(g, "p95LatencyMillis", s.p95LatencyMillis());
                    number(g, "p99LatencyMillis", s.p99LatencyMillis());
                    number(g, "maxLatencyMillis", s.maxLatencyMillis());
                    number(g, "deadlineMissRate", s.deadlineMissRate());
                    number(g, "meanEnergyMillijoules", s.meanEnergyMillijoules());
                    number(g, "meanBytes", s.meanBytes());
                    number(g, "meanAccuracy", s.meanAccuracy());
                    g.writeNumberField("planSwitches", s.planSwitches());
                    number(g, "offloadRate", s.offloadRate());
                    number(g, "meanPredictionErrorMillis", s.meanPredictionErrorMillis());
                    number(g, "budgetViolationRate", s.budgetViolationRate());
                    g.writeStringField("topPlan", s.topPlan());
                    number(g, "topPlanShare", s.topPlanShare());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            out.append(w.toString()).append('\n');
        }
    };

    /** Writes the report. */
    public abstract void write(SimulationReport report, Appendable out) throws IOException;

    /**
     * Parses "table", "csv" or "json" (any case).
     *
     * @throws IllegalArgumentException naming the value
     */
    public static ReportFormat parse(String text) {
        for (ReportFormat f : values()) {
            if (f.name().equalsIgnoreCase(text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("format: '" + text + "' is not one of table, csv, json");
    }

    /** Writes one row per request of every policy as CSV (for plotting elsewhere). */
    public static void writeRequestsCsv(SimulationReport r, Appendable out) throws IOException {
        out.append("policy,request,start_ms,plan,target,variant,split,codec,predicted_latency_ms,latency_ms,"
                + "energy_mj,bytes,accuracy,deadline_met,switched,uplink_mbps_at_start\n");
        for (Map.Entry<String, List<RequestRecord>> e : r.records().entrySet()) {
            for (RequestRecord x : e.getValue()) {
                out.append(String.join(",", e.getKey(), Integer.toString(x.request()), csv(x.startMillis()),
                        '"' + x.plan().describe() + '"', x.plan().target().toString(), x.plan().variantId(),
                        x.plan().splitId(), x.plan().codec(), csv(x.predictedLatencyMillis()), csv(x.latencyMillis()),
                        csv(x.energyMillijoules()), Long.toString(x.bytes()), csv(x.accuracy()),
                        Boolean.toString(x.deadlineMet()), Boolean.toString(x.switched()),
                        csv(x.uplinkBitsPerSecondAtStart() / 1e6))).append('\n');
            }
        }
    }

    private static void trace(JsonGenerator g, String field, BandwidthTrace t) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("name", t.name());
        g.writeNumberField("meanMbps", t.meanBitsPerSecond() / 1e6);
        g.writeNumberField("sampleMeanMbps", t.sampleMeanBitsPerSecond() / 1e6);
        g.writeNumberField("periodSeconds", t.periodMillis() / 1000);
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String field, double v) throws IOException {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            g.writeNullField(field);
        } else {
            g.writeNumberField(field, v);
        }
    }

    private static String csv(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : number(v);
    }

    /** Shortest round-trip text of a double, without a trailing ".0" for whole numbers. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
