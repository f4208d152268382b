package io.edgesplit.samples;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.router.Budgets;
import io.edgesplit.runtime.EdgeRuntime;
import io.edgesplit.runtime.InferenceResult;
import io.edgesplit.runtime.InputProvider;
import io.edgesplit.runtime.RuntimeStats;
import io.edgesplit.runtime.fleet.FleetKeys;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerInfo;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An app that classifies camera frames in a loop with {@link EdgeRuntime}: for every frame the
 * runtime plans where to run (on the device, or split with an edge server it discovered over MQTT),
 * at which width and split point, under the budgets; it falls back to the device when a server
 * fails. With {@code --broker} it joins the fleet: edge servers are discovered, signed budgets from
 * the fleet controller are applied, telemetry is reported.
 */
@Command(name = "app-loop", sortOptions = false, description = {
    "Classify frames in a loop with EdgeRuntime and print where each one ran.",
    "Without --broker everything runs on the device; with it, edge servers announced",
    "over MQTT are used and budgets signed by the fleet controller are applied.",
    "Ctrl-C (or --frames) ends it with a summary.", ""})
public final class AppLoop implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--package", paramLabel = "DIR",
            description = "Model package (default: the built-in synthetic family, made once in --state).")
    Path packageDir;

    @Option(names = "--device", paramLabel = "ID|FILE", defaultValue = "raspberry-pi-4",
            converter = Samples.Profile.class,
            description = "This device's profile: a catalog id or a YAML file (default ${DEFAULT-VALUE}).")
    DeviceProfile device;

    @Option(names = "--deadline", paramLabel = "TIME", defaultValue = "200ms", converter = Samples.Millis.class,
            description = "Latency budget per frame (default ${DEFAULT-VALUE}).")
    double deadlineMillis;

    @Option(names = "--energy", paramLabel = "ENERGY", converter = Samples.Millijoules.class,
            description = "Device energy budget per frame, e.g. 20mJ (default: none).")
    Double energyMillijoules;

    @Option(names = "--min-accuracy", paramLabel = "A",
            description = "Lowest acceptable accuracy in [0, 1] of the width that runs (needs a package with accuracies).")
    Double minAccuracy;

    @Option(names = "--broker", paramLabel = "URL",
            description = "MQTT broker of the fleet, e.g. tcp://127.0.0.1:1883 (default: none, on-device only).")
    String brokerUrl;

    @Option(names = "--node", paramLabel = "ID", defaultValue = "app-1",
            description = "This device's node id in the fleet (default ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--fleet", paramLabel = "ID", defaultValue = "samples",
            description = "Fleet id, shared by the three samples (default ${DEFAULT-VALUE}).")
    String fleet;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "Frames to classify; 0 runs until Ctrl-C (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--interval", paramLabel = "TIME", defaultValue = "100ms", converter = Samples.Millis.class,
            description = "Time between frames (default ${DEFAULT-VALUE}).")
    double intervalMillis;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Images to classify (default: ../shared/data/images if present, else synthetic pixels).")
    Path images;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = Samples.STATE_DEFAULT,
            description = "Directory the samples share for certificate, token and keys (default ${DEFAULT-VALUE}).")
    Path state;

    private PrintWriter out;

    public static void main(String[] args) {
        Samples.main(new AppLoop(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (frames < 0) {
            throw new ParameterException(spec.commandLine(), "--frames: must be >= 0 (0: until Ctrl-C), was " + frames);
        }
        if (packageDir != null && !Files.isDirectory(packageDir)) {
            throw new ParameterException(spec.commandLine(), "--package: " + packageDir + ": no such directory");
        }
        if (brokerUrl != null && device.links().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--device " + device.id() + " has no network links to "
                    + "reach an edge server");
        }
        Budgets budgets = budgets();
        MqttSettings mqtt = brokerUrl == null ? null : Samples.mqtt(spec, brokerUrl, fleet, node);
        out = spec.commandLine().getOut();
        SampleState shared = new SampleState(state);
        List<InputProvider> inputs = frameSource();
        ModelPackage pkg = packageDir != null ? ModelPackage.load(packageDir) : shared.syntheticPackage();
        out.println("package       " + pkg.manifest().family() + ": " + pkg.variants().stream().map(Variant::id)
                .collect(Collectors.joining(", ")) + " at every split point");
        out.println("device        " + device.id() + "; " + budgets);

        EdgeRuntime.Builder builder = EdgeRuntime.builder(pkg, device).budgets(budgets);
        if (mqtt != null) {
            joinFleet(builder, mqtt, shared);
        }
        try (Samples.CtrlC stop = new Samples.CtrlC(); EdgeRuntime runtime = builder.build()) {
            String targets = "";
            String config = runtime.policy() + " " + runtime.budgets();
            try {
                for (int i = 1; frames == 0 || i <= frames; i++) {
                    // servers come and go, and the fleet controller may change policy and budgets at any time
                    targets = printIfChanged("targets      ", targets, runtime.costTable().targets().toString());
                    config = printIfChanged("config        policy", config, runtime.policy() + " " + runtime.budgets());
                    InferenceResult r = runtime.infer(inputs.get(i % inputs.size()));
                    printFrame(i, r, runtime.budgets().deadlineMillis());
                    Thread.sleep((long) intervalMillis);
                }
            } catch (InterruptedException e) {
                // Ctrl-C: summary below
            }
            printSummary(runtime.stats());
        }
        return 0;
    }

    private Budgets budgets() {
        try {
            Budgets.Builder b = Budgets.builder().deadlineMillis(deadlineMillis, true);
            if (energyMillijoules != null) {
                b.energyMillijoules(energyMillijoules, true);
            }
            if (minAccuracy != null) {
                b.minAccuracy(minAccuracy, true);
            }
            return b.build();
        } catch (IllegalArgumentException e) { // Budgets names its parameters; say which option
            throw new ParameterException(spec.commandLine(), e.getMessage().replaceFirst("^deadlineMillis:", "--deadline:")
                    .replaceFirst("^energyMillijoules:", "--energy:").replaceFirst("^minAccuracy:", "--min-accuracy:"));
        }
    }

    /**
     * Fleet membership: BIRTH/DEATH, TELEMETRY, configurations verified with the fleet public key, and
     * edge servers discovered from their announcements, reached over TLS with the sample's token.
     */
    private void joinFleet(EdgeRuntime.Builder builder, MqttSettings mqtt, SampleState shared) throws IOException {
        PublicKey fleetKey = shared.fleetPublicKey();
        DeviceProfile edgeProfile = DeviceProfiles.catalog("x86-edge-server"); // how the planner sees the server
        String link = device.links().keySet().iterator().next();
        builder.fleet(mqtt, fleetKey, 5_000)
                .discoverEdgeServers(edgeProfile, link, server -> connect(server, shared));
        out.println("fleet         " + node + " on " + brokerUrl + " (fleet '" + fleet + "'); accepts configs signed by "
                + "key " + FleetKeys.keyId(fleetKey) + "; edge servers over " + link);
    }

    /**
     * A TLS client for an announced server, trusting only the certificate the edge server sample wrote.
     * The runtime connects it (TCP, TLS, HELLO) before the planner sees the server.
     */
    private OffloadTarget connect(ServerInfo server, SampleState shared) {
        String endpoint = server.endpoint().path("native").asText();
        int colon = endpoint.lastIndexOf(':');
        try {
            TlsClientConfig tls = TlsClientConfig.builder().trustPem(shared.edgeCertificate()).build();
            return NativeOffloadClient.create(NativeClientConfig.builder(endpoint.substring(0, colon),
                    Integer.parseInt(endpoint.substring(colon + 1))).tls(tls).token(shared.readEdgeToken())
                    .clientName(node).build());
        } catch (IOException e) {
            throw new UncheckedIOException("edge server " + server.node() + ": " + e.getMessage(), e);
        }
    }

    private String printIfChanged(String label, String before, String now) {
        if (!now.equals(before)) {
            out.println(label + " " + now);
        }
        return now;
    }

    private void printFrame(int frame, InferenceResult r, double deadline) {
        double ms = r.totalNanos() / 1e6;
        String network = r.bytesSent() > 0 ? String.format(Locale.ROOT, "%6.1f kB up", r.bytesSent() / 1e3) : "";
        out.printf(Locale.ROOT, "frame %5d   %-34s %7.2f ms (predicted %6.2f) %s %-12s class %d%s%n", frame,
                r.plan().describe(), ms, r.predicted().latencyMillis(), ms > deadline ? "LATE" : "    ", network,
                r.output(0).argMax(), r.fellBack() ? "   fell back to the device: " + r.fallbackCause().getMessage() : "");
    }

    private void printSummary(RuntimeStats stats) {
        JsonNode all = stats.toJson();
        out.printf(Locale.ROOT, "summary       %d frames: %d on the device, %d offloaded, %d fell back, %d late%n",
                stats.inferences(), stats.local(), stats.remote(), stats.fallbacks(), stats.deadlineMisses());
        out.printf(Locale.ROOT, "latency       p50 %.2f ms, p95 %.2f ms; %d width switches%n",
                stats.latencyPercentileMillis(50), stats.latencyPercentileMillis(95), stats.widthSwitches());
        out.printf(Locale.ROOT, "cost          %.1f kB sent, %.1f kB received, %.0f mJ on the device (estimated)%n",
                all.path("bytesSent").asLong() / 1e3, all.path("bytesReceived").asLong() / 1e3,
                all.path("energyMj").asDouble());
        all.path("planMix").fields().forEachRemaining(e ->
                out.printf(Locale.ROOT, "plan          %-34s %5d frames%n", e.getKey(), e.getValue().asLong()));
    }

    /** One input per image (resized to whatever the chosen width takes), or moving synthetic pixels. */
    private List<InputProvider> frameSource() throws IOException {
        Path dir = images != null ? images : sharedImages();
        List<InputProvider> inputs = new ArrayList<>();
        if (dir != null) {
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), "--images: " + dir + ": no such directory");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().collect(Collectors.toList())) {
                    BufferedImage img = ImageIO.read(f.toFile());
                    if (img != null) {
                        int w = img.getWidth();
                        int h = img.getHeight();
                        inputs.add(InputProvider.image(img.getRGB(0, 0, w, h, null, 0, w), w, h));
                    }
                }
            }
            if (inputs.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--images: " + dir + " has no PNG, JPEG, BMP or GIF");
            }
            out.println("frames        " + inputs.size() + " images from " + dir);
            return inputs;
        }
        for (int shift = 0; shift < 16; shift++) {
            int[] argb = new int[224 * 224];
            for (int y = 0; y < 224; y++) {
                for (int x = 0; x < 224; x++) {
                    argb[y * 224 + x] = 0xff000000 | ((x + shift * 16) & 0xff) << 16 | (y & 0xff) << 8 | ((x ^ y) & 0xff);
                }
            }
            inputs.add(InputProvider.image(argb, 224, 224));
        }
        out.println("frames        synthetic pixels (no image directory found; --images DIR)");
        return inputs;
    }

    /** ../shared/data/images next to the repository, looked for from the working directory upwards. */
    private static Path sharedImages() {
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve("images");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
