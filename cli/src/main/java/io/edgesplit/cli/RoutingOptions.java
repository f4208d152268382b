package io.edgesplit.cli;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.Units;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.CostTableBuilder;
import io.edgesplit.router.Objective;
import io.edgesplit.router.Target;
import io.edgesplit.router.TargetKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import picocli.CommandLine.Option;

/**
 * The options {@code plan} and {@code simulate} share: the package, the device and remote profiles
 * (files or catalog ids), the budgets and the objective; builds the cost table and the budgets.
 */
final class RoutingOptions {

    @Option(names = "--package", required = true, paramLabel = "DIR", description = "Model package directory.")
    Path packageDir;

    @Option(names = "--device", required = true, paramLabel = "FILE.yaml|ID",
            description = "Device profile: a file or a catalog id (pixel-4, raspberry-pi-4, ...).")
    String device;

    @Option(names = "--edge", paramLabel = "FILE.yaml|ID", description = "Edge server profile (file or catalog id).")
    String edge;

    @Option(names = "--edge-link", paramLabel = "NAME",
            description = "Device link to the edge server (default: wifi, else lte, else the device's first link).")
    String edgeLink;

    @Option(names = "--cloud", paramLabel = "FILE.yaml|ID", description = "Cloud profile (file or catalog id).")
    String cloud;

    @Option(names = "--cloud-link", paramLabel = "NAME",
            description = "Device link to the cloud (default: lte, else wifi, else the device's first link).")
    String cloudLink;

    @Option(names = "--deadline", paramLabel = "TIME", description = "Latency budget per inference, e.g. 100ms.")
    String deadline;

    @Option(names = "--energy", paramLabel = "ENERGY", description = "Device energy budget per inference, e.g. 150mJ.")
    String energy;

    @Option(names = "--max-bytes", paramLabel = "SIZE", description = "Bytes sent and received per inference, e.g. 100kB.")
    String maxBytes;

    @Option(names = "--min-accuracy", paramLabel = "A", description = "Minimum expected accuracy in [0, 1].")
    Double minAccuracy;

    @Option(names = "--soft", split = ",", paramLabel = "BUDGET",
            description = "Budgets that are penalties instead of limits: deadline, energy, bytes, accuracy.")
    List<String> soft = new ArrayList<>();

    @Option(names = "--never-send-input", description = "Privacy: the raw input never leaves the device.")
    boolean neverSendInput;

    @Option(names = "--min-split-depth", paramLabel = "N", defaultValue = "0",
            description = "Privacy: at least N operators run on the device before anything is sent.")
    int minSplitDepth;

    @Option(names = "--objective", paramLabel = "OBJ", defaultValue = "latency",
            description = "latency, energy, accuracy or weighted:L,E,B,A (default ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--codec", split = ",", paramLabel = "CODEC",
            description = "Codecs to plan with (default: every codec the package allows; the cloud target, which speaks the Open Inference Protocol, carries raw tensors only).")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--device-threads", paramLabel = "N",
            description = "Interpreter threads on the device (default: the device profile's compute.threads).")
    Integer deviceThreads;

    @Option(names = "--server-threads", paramLabel = "N",
            description = "Interpreter threads on servers (default: the smallest compute.threads of the remote profiles).")
    Integer serverThreads;

    /** What the options resolve to. */
    static final class Resolved {
        ModelPackage pkg;
        DeviceProfile device;
        CostTable table;
        Budgets budgets;
        int deviceThreads;
        int serverThreads;
    }

    Resolved resolve() throws IOException {
        Resolved r = new Resolved();
        r.pkg = ModelPackage.load(packageDir);
        r.device = DeviceProfiles.resolve(device);
        List<Target> remotes = new ArrayList<>();
        int serverThreadsDefault = Integer.MAX_VALUE;
        if (edge != null) {
            DeviceProfile p = DeviceProfiles.resolve(edge);
            remotes.add(Target.edge(p.id(), p, link(r.device, edgeLink, "--edge-link", "wifi", "lte")));
            serverThreadsDefault = Math.min(serverThreadsDefault, p.compute().threads());
        }
        if (cloud != null) {
            DeviceProfile p = DeviceProfiles.resolve(cloud);
            remotes.add(Target.cloud(p.id(), p, link(r.device, cloudLink, "--cloud-link", "lte", "wifi")));
            serverThreadsDefault = Math.min(serverThreadsDefault, p.compute().threads());
        }
        r.deviceThreads = deviceThreads != null ? deviceThreads : r.device.compute().threads();
        r.serverThreads = serverThreads != null ? serverThreads
                : serverThreadsDefault == Integer.MAX_VALUE ? 1 : serverThreadsDefault;
        CostTableBuilder b = new CostTableBuilder(r.pkg.manifest(), r.device).deviceThreads(r.deviceThreads)
                .serverThreads(r.serverThreads);
        for (Target t : remotes) {
            // the cloud tier speaks the Open Inference Protocol, which carries tensors as they are
            b.addTarget(t, t.kind() == TargetKind.CLOUD ? "raw"::equals : codec -> true);
        }
        if (!codecs.isEmpty()) {
            b.codecs(codecs);
        }
        r.table = b.build();
        r.budgets = budgets();
        return r;
    }

    private static String link(DeviceProfile device, String given, String option, String first, String second) {
        if (given != null) {
            if (!device.links().containsKey(given)) {
                throw new CliException(option + ": device " + device.id() + " has no link '" + given + "', it has "
                        + device.links().keySet());
            }
            return given;
        }
        for (String name : List.of(first, second)) {
            if (device.links().containsKey(name)) {
                return name;
            }
        }
        if (device.links().isEmpty()) {
            throw new CliException("device " + device.id() + " has no links, so it cannot reach a remote target; "
                    + "add one under links: in its profile");
        }
        return device.links().keySet().iterator().next();
    }

    Budgets budgets() {
        for (String s : soft) {
            if (!List.of("deadline", "energy", "bytes", "accuracy").contains(s.toLowerCase(Locale.ROOT))) {
                throw new CliException("--soft: '" + s + "' is not one of deadline, energy, bytes, accuracy");
            }
        }
        Budgets.Builder b = Budgets.builder();
        try {
            b.objective(Objective.parse(objective));
        } catch (IllegalArgumentException e) {
            throw new CliException("--objective: " + e.getMessage());
        }
        if (deadline != null) {
            b.deadlineMillis(quantity("--deadline", deadline, Units::millis), !isSoft("deadline"));
        }
        if (energy != null) {
            b.energyMillijoules(quantity("--energy", energy, Units::millijoules), !isSoft("energy"));
        }
        if (maxBytes != null) {
            b.bytesPerInference((long) quantity("--max-bytes", maxBytes, t -> Units.bytes(t)), !isSoft("bytes"));
        }
        if (minAccuracy != null) {
            option("--min-accuracy", () -> b.minAccuracy(minAccuracy, !isSoft("accuracy")));
        }
        option("--min-split-depth", () -> b.minSplitDepth(minSplitDepth));
        return b.neverSendRawInput(neverSendInput).build();
    }

    private boolean isSoft(String budget) {
        return soft.stream().anyMatch(s -> s.equalsIgnoreCase(budget));
    }

    /** Parses a quantity with units, naming the option in errors. */
    static double quantity(String option, String text, ToDoubleFunction<String> parse) {
        double v;
        try {
            v = parse.applyAsDouble(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage());
        }
        if (!(v > 0)) {
            throw new CliException(option + ": must be > 0, was " + text);
        }
        return v;
    }

    private static void option(String option, Runnable set) {
        try {
            set.run();
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage());
        }
    }
}
