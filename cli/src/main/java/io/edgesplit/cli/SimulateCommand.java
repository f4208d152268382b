package io.edgesplit.cli;

import io.edgesplit.profile.Units;
import io.edgesplit.router.Planner;
import io.edgesplit.router.TargetKind;
import io.edgesplit.router.policy.Policies;
import io.edgesplit.router.policy.PlannerPolicy;
import io.edgesplit.router.sim.BandwidthTrace;
import io.edgesplit.router.sim.LinkTrace;
import io.edgesplit.router.sim.ReportFormat;
import io.edgesplit.router.sim.SimulationReport;
import io.edgesplit.router.sim.Simulator;
import io.edgesplit.router.sim.TraceReaders;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit simulate}: replays a bandwidth trace against routing policies and reports latency,
 * deadline misses, energy, bytes, accuracy and plan switches per policy, as a table, CSV or JSON,
 * with an optional PNG plot of latency over time above the bandwidth.
 */
@Command(name = "simulate", description = {
    "Replay a bandwidth trace (mahimahi, 'seconds Mbps' or G-NetTrack CSV) against routing policies.",
    "The trace is the device's access link: every remote target's transfers go through it, each with the RTT of "
            + "the device link that reaches it (or --rtt). A trace without an uplink capacity series (a lone file, a "
            + "G-NetTrack log) serves both directions."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RoutingOptions routing;

    @Option(names = "--trace", required = true, paramLabel = "FILE",
            description = "Bandwidth trace; for mahimahi, NAME.down with NAME.up beside it gives both directions.")
    Path trace;

    @Option(names = "--trace-format", paramLabel = "FORMAT", defaultValue = "auto",
            description = "auto, mahimahi, seconds-mbps or gnettrack (default ${DEFAULT-VALUE}).")
    String traceFormat;

    @Option(names = "--uplink-trace", paramLabel = "FILE", description = "A separate trace for the uplink.")
    Path uplinkTrace;

    @Option(names = "--uplink-series", paramLabel = "WHICH", defaultValue = "auto",
            description = "auto (the trace's uplink when it is a capacity, else the downlink series), uplink or "
                    + "downlink (default ${DEFAULT-VALUE}).")
    String uplinkSeries;

    @Option(names = "--uplink-scale", paramLabel = "X", defaultValue = "1",
            description = "Multiply the uplink rates by X (default ${DEFAULT-VALUE}).")
    double uplinkScale;

    @Option(names = "--downlink-scale", paramLabel = "X", defaultValue = "1",
            description = "Multiply the downlink rates by X (default ${DEFAULT-VALUE}).")
    double downlinkScale;

    @Option(names = "--rtt", paramLabel = "TIME", description = "RTT to every remote target (default: each link profile's).")
    String rtt;

    @Option(names = "--loss", paramLabel = "P", defaultValue = "0",
            description = "Packet loss probability, retransmitted after an RTT (default ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--queue", paramLabel = "TIME", description = "Constant wait in each server's queue (default none).")
    String queue;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Policies to run (default: adaptive, local, edge and cloud when given, best-static, oracle). "
                    + "Known: adaptive, local-only (local), edge-only (edge), cloud-only (cloud), best-static, oracle.")
    List<String> policies = new ArrayList<>();

    @Option(names = "--requests-per-second", paramLabel = "R", defaultValue = "2",
            description = "Request rate (default ${DEFAULT-VALUE}).")
    double requestsPerSecond;

    @Option(names = "--duration", paramLabel = "TIME", description = "Length of the run (default: one pass of the trace).")
    String duration;

    @Option(names = "--arrivals", paramLabel = "KIND", defaultValue = "periodic",
            description = "periodic or poisson (default ${DEFAULT-VALUE}).")
    String arrivals;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of arrivals and losses (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--hysteresis", paramLabel = "H", defaultValue = "0.1",
            description = "The planner's hysteresis for adaptive (default ${DEFAULT-VALUE}).")
    double hysteresis;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv or json (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Write a plot of latency over time per policy, "
            + "with the bandwidth beneath.")
    Path plot;

    @Option(names = "--requests-csv", paramLabel = "FILE.csv", description = "Write every request of every policy as CSV.")
    Path requestsCsv;

    @Option(names = "--progress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Show a progress bar on standard error (default on; --no-progress turns it off).")
    boolean progress;

    @Override
    public Integer call() throws IOException {
        ReportFormat out = json ? ReportFormat.JSON : parseFormat();
        if (!arrivals.equals("periodic") && !arrivals.equals("poisson")) {
            throw new CliException("--arrivals: '" + arrivals + "' is not one of periodic, poisson");
        }
        RoutingOptions.Resolved r = routing.resolve();
        if (r.table.targets().size() < 2) {
            throw new CliException("simulate needs a remote target: give --edge and/or --cloud");
        }
        List<PlannerPolicy> ps = policies(r);
        LinkTrace link = TraceReaders.read(trace, traceFormat);
        BandwidthTrace down = link.downlink().scaled(positive("--downlink-scale", downlinkScale));
        BandwidthTrace up;
        if (uplinkTrace != null) {
            // the file's own series, even when it is one half of a mahimahi pair
            LinkTrace u = TraceReaders.read(uplinkTrace, traceFormat);
            String file = uplinkTrace.getFileName().toString();
            up = u.uplink().filter(t -> t.name().equals(file)).orElse(u.downlink());
        } else {
            up = link.uplinkCapacity(uplinkSource());
        }
        boolean oneSeries = up == link.downlink();
        up = up.scaled(positive("--uplink-scale", uplinkScale));
        Simulator.Builder b;
        try {
            b = Simulator.builder(r.table).budgets(r.budgets).planner(new Planner(hysteresis)).traces(up, down)
                    .requestsPerSecond(requestsPerSecond).poissonArrivals(arrivals.equals("poisson")).seed(seed)
                    .lossRate(loss);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        if (rtt != null) {
            b.rttMillis(RoutingOptions.quantity("--rtt", rtt, Units::millis));
        }
        if (queue != null) {
            double q = RoutingOptions.quantity("--queue", queue, Units::millis);
            for (int t = 1; t < r.table.targets().size(); t++) {
                b.queueMillis(t, q);
            }
        }
        if (duration != null) {
            b.durationMillis(RoutingOptions.quantity("--duration", duration, Units::millis));
        }
        b.describe("package", r.pkg.directory() + " (" + r.pkg.manifest().family() + ", " + r.pkg.variants().size()
                + " variants, " + r.table.size() + " plans)");
        b.describe("device", r.device.id() + " (" + r.deviceThreads + " threads; servers " + r.serverThreads + ")");
        b.describe("traces", trace + " (" + link.format() + "); uplink: " + (uplinkTrace != null ? uplinkTrace.toString()
                : oneSeries ? "the downlink series (--uplink-series " + uplinkSeries + ")"
                : "the trace's uplink series"));
        SimulationReport report;
        try (CliProgress bar = new CliProgress(progress)) {
            report = b.progress(bar).build().run(ps);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.print(report.format(out));
        if (requestsCsv != null) {
            try (Writer csv = Files.newBufferedWriter(requestsCsv, StandardCharsets.UTF_8)) {
                ReportFormat.writeRequestsCsv(report, csv);
            }
            if (out == ReportFormat.TABLE) {
                w.printf(Locale.ROOT, "%nRequests   %s%n", requestsCsv);
            }
        }
        if (plot != null) {
            SimulationPlot.write(report, plot);
            if (out == ReportFormat.TABLE) {
                w.printf(Locale.ROOT, "%nPlot       %s%n", plot);
            } else {
                spec.commandLine().getErr().println("plot: " + plot);
            }
        }
        w.flush();
        return 0;
    }

    private ReportFormat parseFormat() {
        try {
            return ReportFormat.parse(format);
        } catch (IllegalArgumentException e) {
            throw new CliException("--" + e.getMessage());
        }
    }

    private LinkTrace.UplinkSource uplinkSource() {
        try {
            return LinkTrace.UplinkSource.valueOf(uplinkSeries.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CliException("--uplink-series: '" + uplinkSeries + "' is not one of auto, uplink, downlink");
        }
    }

    private static double positive(String option, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new CliException(option + ": must be a finite number > 0, was " + v);
        }
        return v;
    }

    private List<PlannerPolicy> policies(RoutingOptions.Resolved r) {
        boolean hasEdge = r.table.targets().stream().anyMatch(t -> t.kind() == TargetKind.EDGE);
        boolean hasCloud = r.table.targets().stream().anyMatch(t -> t.kind() == TargetKind.CLOUD);
        List<String> names = new ArrayList<>();
        if (policies.isEmpty()) {
            names.add("adaptive");
            names.add("local-only");
            if (hasEdge) {
                names.add("edge-only");
            }
            if (hasCloud) {
                names.add("cloud-only");
            }
            names.add("best-static");
            names.add("oracle");
        } else {
            for (String p : policies) {
                String name;
                try {
                    name = Policies.canonical(p);
                } catch (IllegalArgumentException e) {
                    throw new CliException("--policies: " + e.getMessage());
                }
                if (name.equals("edge-only") && !hasEdge || name.equals("cloud-only") && !hasCloud) {
                    throw new CliException("--policies: " + name + " needs --" + name.substring(0, name.indexOf('-')));
                }
                if (names.contains(name)) {
                    throw new CliException("--policies: " + name + " is listed twice");
                }
                names.add(name);
            }
        }
        List<PlannerPolicy> out = new ArrayList<>();
        names.forEach(n -> out.add(Policies.create(n)));
        return out;
    }
}
