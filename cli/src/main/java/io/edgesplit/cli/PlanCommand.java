package io.edgesplit.cli;

import io.edgesplit.profile.Units;
import io.edgesplit.router.Budget;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.Estimates;
import io.edgesplit.router.Plan;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.Target;
import java.io.IOException;
import java.io.PrintWriter;
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
 * {@code edgesplit plan}: what the planner chooses for one inference under given link conditions and
 * budgets, with its predicted latency, energy, bytes and accuracy, and the runners-up that explain the
 * choice. When no plan meets the hard budgets it shows the least violating one and names what it breaks.
 */
@Command(name = "plan", description = {
    "Choose where, at which width, split point and codec one inference runs, and explain the choice.",
    "Link conditions are the device's link profiles unless --uplink/--downlink/--rtt override them."})
final class PlanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RoutingOptions routing;

    @Option(names = "--uplink", paramLabel = "RATE", description = "Uplink bandwidth to every remote target, e.g. 5mbit.")
    String uplink;

    @Option(names = "--downlink", paramLabel = "RATE", description = "Downlink bandwidth from every remote target.")
    String downlink;

    @Option(names = "--rtt", paramLabel = "TIME", description = "Round-trip time to every remote target, e.g. 40ms.")
    String rtt;

    @Option(names = "--radio-idle", paramLabel = "TIME",
            description = "How long the radio has been idle (default: long enough to need a promotion).")
    String radioIdle;

    @Option(names = "--request-interval", paramLabel = "TIME",
            description = "Time until the next request (default: none, so this request owns the radio's whole tail).")
    String requestInterval;

    @Option(names = "--explain", paramLabel = "N", defaultValue = "5",
            description = "Show the N best runners-up (default ${DEFAULT-VALUE}).")
    int explain;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        RoutingOptions.Resolved r = routing.resolve();
        CostTable table = r.table;
        Estimates conditions = conditions(table);
        Planner planner = new Planner();
        List<PlanOutcome> ranked = planner.explain(table, conditions, r.budgets, -1, Math.max(1, explain + 1));
        if (ranked.isEmpty()) {
            throw new CliException("no plan is allowed: every plan breaks the privacy budget");
        }
        Report report = Report.of(r, conditions, ranked);
        Json.print(spec.commandLine().getOut(), json, report, PlanCommand::printText);
        return 0;
    }

    private Estimates conditions(CostTable table) {
        Estimates.Builder b = Estimates.nominal(table).toBuilder();
        double up = uplink == null ? Double.NaN : RoutingOptions.quantity("--uplink", uplink, Units::bitsPerSecond);
        double down = downlink == null ? Double.NaN
                : RoutingOptions.quantity("--downlink", downlink, Units::bitsPerSecond);
        double roundTrip = rtt == null ? Double.NaN : RoutingOptions.quantity("--rtt", rtt, Units::millis);
        for (int t = 1; t < table.targets().size(); t++) {
            b.link(t, Double.isNaN(up) ? table.nominalUplinkBitsPerSecond(t) : up,
                    Double.isNaN(down) ? table.nominalDownlinkBitsPerSecond(t) : down,
                    Double.isNaN(roundTrip) ? table.nominalRttMillis(t) : roundTrip);
        }
        if (radioIdle != null) {
            try {
                b.radioIdleMillis(Units.millis(radioIdle));
            } catch (IllegalArgumentException e) {
                throw new CliException("--radio-idle: " + e.getMessage());
            }
        }
        if (requestInterval != null) {
            b.requestIntervalMillis(RoutingOptions.quantity("--request-interval", requestInterval, Units::millis));
        }
        return b.build();
    }

    /** The plan report; record components are the JSON field names. */
    record Report(String packageDir, String family, String device, int deviceThreads, int serverThreads,
            List<TargetReport> targets, String budgets, String objective, int plansConsidered, boolean feasible,
            List<String> violated, List<String> violationDetails, PlanReport chosen, List<PlanReport> runnersUp) {
        static Report of(RoutingOptions.Resolved r, Estimates c, List<PlanOutcome> ranked) {
            List<TargetReport> targets = new ArrayList<>();
            for (int t = 1; t < r.table.targets().size(); t++) {
                Target target = r.table.targets().get(t);
                targets.add(new TargetReport(t, target.toString(), target.kind().name().toLowerCase(Locale.ROOT),
                        target.profile().id(), target.linkName(), c.uplinkBitsPerSecond(t), c.downlinkBitsPerSecond(t),
                        c.rttMillis(t)));
            }
            PlanOutcome chosen = ranked.get(0);
            List<PlanReport> runners = new ArrayList<>();
            for (int i = 1; i < ranked.size(); i++) {
                runners.add(PlanReport.of(ranked.get(i)));
            }
            return new Report(r.pkg.directory().toString(), r.pkg.manifest().family(), r.device.id(), r.deviceThreads,
                    r.serverThreads, targets, r.budgets.toString(), r.budgets.objective().toString(), r.table.size(),
                    chosen.feasible(), names(chosen.violations()), details(chosen, r.budgets, r.table), PlanReport.of(chosen),
                    runners);
        }
    }

    /** A remote target and the conditions planned with. */
    record TargetReport(int index, String target, String kind, String profile, String link, double uplinkBitsPerSecond,
            double downlinkBitsPerSecond, double rttMillis) {
    }

    /** One plan with its predicted figures; null for unknown energy or accuracy. */
    record PlanReport(String plan, String target, String variant, double width, String split, String codec,
            int headOperators, boolean sendsRawInput, double latencyMillis, Double energyMillijoules, long bytes,
            Double accuracy, boolean feasible, List<String> violated, double score) {
        static PlanReport of(PlanOutcome o) {
            Plan p = o.plan();
            return new PlanReport(p.describe(), p.target().toString(), p.variantId(), p.width(), p.splitId(), p.codec(),
                    p.headOperators(), p.sendsRawInput(), o.latencyMillis(), nullIfNaN(o.energyMillijoules()), o.bytes(),
                    nullIfNaN(o.accuracy()), o.feasible(), names(o.violations()), o.score());
        }
    }

    static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    static List<String> names(int violations) {
        List<String> out = new ArrayList<>();
        for (Budget b : Budget.values()) {
            if ((violations & b.bit()) != 0) {
                out.add(b.name().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * "deadline: predicted 180.0 ms > 100.0 ms" for each violated budget; a remote plan is held to the
     * deadline less its variant's fallback reserve (where the runtime cuts the offload).
     */
    static List<String> details(PlanOutcome o, Budgets b, CostTable table) {
        List<String> out = new ArrayList<>();
        int v = o.violations();
        if ((v & Budget.DEADLINE.bit()) != 0) {
            double reserve = o.plan().isLocal() ? 0 : table.fallbackReserveMillis(o.entry());
            if (reserve > 0 && !(o.latencyMillis() > b.deadlineMillis())) {
                out.add(String.format(Locale.ROOT, "deadline: predicted %.1f ms > %.1f ms (the %.1f ms deadline less "
                        + "%.1f ms kept for the local fallback)", o.latencyMillis(), b.deadlineMillis() - reserve,
                        b.deadlineMillis(), reserve));
            } else {
                out.add(String.format(Locale.ROOT, "deadline: predicted %.1f ms > %.1f ms", o.latencyMillis(),
                        b.deadlineMillis()));
            }
        }
        if ((v & Budget.ENERGY.bit()) != 0) {
            out.add(Double.isNaN(o.energyMillijoules())
                    ? String.format(Locale.ROOT, "energy: unknown (the profiles have no power figures) against %.1f mJ",
                            b.energyMillijoules())
                    : String.format(Locale.ROOT, "energy: predicted %.1f mJ > %.1f mJ", o.energyMillijoules(),
                            b.energyMillijoules()));
        }
        if ((v & Budget.BYTES.bit()) != 0) {
            out.add(String.format(Locale.ROOT, "bytes: %d > %d", o.bytes(), b.bytesPerInference()));
        }
        if ((v & Budget.ACCURACY.bit()) != 0) {
            out.add(Double.isNaN(o.accuracy())
                    ? String.format(Locale.ROOT, "accuracy: unknown for %s, below the minimum %.3f", o.plan().variantId(),
                            b.minAccuracy())
                    : String.format(Locale.ROOT, "accuracy: %.3f < %.3f", o.accuracy(), b.minAccuracy()));
        }
        return out;
    }

    private static void printText(Report r, PrintWriter w) {
        w.printf(Locale.ROOT, "Package     %s (family %s)%n", r.packageDir(), r.family());
        w.printf(Locale.ROOT, "Device      %s (%d threads)%n", r.device(), r.deviceThreads());
        for (TargetReport t : r.targets()) {
            w.printf(Locale.ROOT, "Target      %s over %s: up %s, down %s, RTT %s%n", t.target(), t.link(),
                    Units.formatBitsPerSecond(t.uplinkBitsPerSecond()), Units.formatBitsPerSecond(t.downlinkBitsPerSecond()),
                    Units.formatMillis(t.rttMillis()));
        }
        w.printf(Locale.ROOT, "Budgets     %s%n", r.budgets());
        w.printf(Locale.ROOT, "Considered  %d plans%n%n", r.plansConsidered());
        PlanReport c = r.chosen();
        if (r.feasible()) {
            w.printf(Locale.ROOT, "Chosen      %s%n", c.plan());
        } else {
            w.printf(Locale.ROOT, "Infeasible  no plan meets every hard budget; the least violating one breaks %s:%n",
                    String.join(", ", r.violated()));
            for (String d : r.violationDetails()) {
                w.printf(Locale.ROOT, "              %s%n", d);
            }
            w.printf(Locale.ROOT, "Best effort %s%n", c.plan());
        }
        w.printf(Locale.ROOT, "Predicted   latency %.1f ms, energy %s, %d bytes, accuracy %s%n", c.latencyMillis(),
                c.energyMillijoules() == null ? "unknown" : String.format(Locale.ROOT, "%.1f mJ", c.energyMillijoules()),
                c.bytes(), c.accuracy() == null ? "unknown" : String.format(Locale.ROOT, "%.3f", c.accuracy()));
        if (!r.runnersUp().isEmpty()) {
            w.printf(Locale.ROOT, "%nRunners-up  (best first)%n");
            w.printf(Locale.ROOT, "  %-40s %11s %10s %10s %8s  %s%n", "plan", "latency ms", "energy mJ", "bytes",
                    "accuracy", "breaks");
            for (PlanReport p : r.runnersUp()) {
                w.printf(Locale.ROOT, "  %-40s %11.1f %10s %10d %8s  %s%n", p.plan(), p.latencyMillis(),
                        p.energyMillijoules() == null ? "-" : String.format(Locale.ROOT, "%.1f", p.energyMillijoules()),
                        p.bytes(), p.accuracy() == null ? "-" : String.format(Locale.ROOT, "%.3f", p.accuracy()),
                        p.violated().isEmpty() ? "-" : String.join(", ", p.violated()));
            }
        }
    }
}
