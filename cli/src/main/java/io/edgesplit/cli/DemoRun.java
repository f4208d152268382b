package io.edgesplit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.common.Sha256;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.resilience.CircuitBreakerConfig;
import io.edgesplit.offload.server.Authenticator;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.LinkProfile;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.Objective;
import io.edgesplit.router.TargetKind;
import io.edgesplit.router.sim.BandwidthTrace;
import io.edgesplit.router.sim.LinkTrace;
import io.edgesplit.runtime.EdgeRuntime;
import io.edgesplit.runtime.InferenceResult;
import io.edgesplit.runtime.InputProvider;
import io.edgesplit.runtime.fleet.FleetConfig;
import io.edgesplit.runtime.fleet.FleetController;
import io.edgesplit.runtime.fleet.FleetKeys;
import io.edgesplit.runtime.fleet.FleetTopics;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerAnnouncer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end-to-end demo on one machine: an MQTT 5 broker (embedded HiveMQ CE, TLS), an edge server
 * (TLS, token authentication) that announces itself over MQTT, a bandwidth-shaping relay that makes
 * the loopback connection behave like a recorded cellular link, a fleet controller that signs
 * configuration, and a device {@link EdgeRuntime} that discovers the server and classifies pictures
 * under budgets, choosing for every picture where to run, at which width and split point.
 *
 * <p>Timeline (fractions of the run): 0.13-0.23 the edge server crashes and comes back (fallbacks,
 * rediscovery); 0.75 the controller pushes a signed config with a tighter deadline (width switch).
 * Between them the trace does what the network did.
 */
final class DemoRun {

    static final String FLEET = "demo";
    static final String DEVICE = "device-1";
    static final String EDGE = "edge-1";
    static final double OUTAGE_START = 0.13;
    static final double OUTAGE_END = 0.23;
    static final double CONFIG_AT = 0.75;

    private final DemoOptions o;
    private final PrintWriter out;
    private final PrintWriter err;
    private final ObjectMapper mapper = new ObjectMapper();

    /** Options of {@code edgesplit demo}. */
    static final class DemoOptions {
        Path models;
        boolean synthetic;
        Path trace;
        double durationSeconds = 60;
        double speed = 2;
        String link = "wifi";
        Path out = Path.of("edgesplit-demo");
        boolean outage = true;
        int threads = 1;
        double frameIntervalMillis = 150;
        boolean json;
        boolean progress = true;
        boolean explain;
        boolean deviceXnnpack = true;
    }

    DemoRun(DemoOptions options, PrintWriter out, PrintWriter err) {
        this.o = options;
        this.out = out;
        this.err = err;
    }

    DemoReport run() throws Exception {
        Files.createDirectories(o.out);
        Path work = Files.createTempDirectory(o.out.toAbsolutePath(), "work-");
        try {
            return runIn(work);
        } finally {
            deleteTree(work);
        }
    }

    private DemoReport runIn(Path work) throws Exception {
        long t0 = System.nanoTime();
        DemoData data = DemoData.resolve(o.models, o.synthetic, o.trace);
        say("Models    " + data.modelsDescription);
        say("Pictures  " + describePictures(data));
        say("Link      the device's '" + o.link + "' link (Pixel 4 radio power model and RTT) with its throughput "
                + "following " + data.traceDescription + ", " + fmt(o.speed) + "x faster than recorded");

        ModelPackage pkg = packageFor(data);
        say("Package   " + pkg.directory() + " (" + pkg.manifest().segments().size() + " segments, "
                + splitsOf(pkg) + " split points, codecs " + String.join("/", pkg.manifest().codecs()) + ")");

        InferenceEngine engine = TfLiteEngine.get();
        // Both sides are this machine; each is measured with its own engine options (the device may be
        // told to use the built-in kernels, which makes it the weaker side for float models).
        EngineOptions deviceOptions = EngineOptions.builder().threads(o.threads).xnnpack(o.deviceXnnpack).build();
        EngineOptions serverOptions = EngineOptions.builder().threads(1).xnnpack(true).build();
        DemoCalibration cal;
        DemoCalibration serverCal;
        try (CliProgress progress = new CliProgress(o.progress && !o.json, System.err)) {
            cal = DemoCalibration.measure(pkg, engine, deviceOptions, 15, "measuring the device side", progress);
            serverCal = DemoCalibration.measure(pkg, engine, serverOptions, 15, "measuring the server side", progress);
        }
        DeviceProfile device = cal.apply(DeviceProfiles.catalog("pixel-4"),
                "this machine's CPU, with the Pixel 4's power and radio models");
        if (!device.links().containsKey(o.link)) {
            throw new CliException("--link " + o.link + ": the pixel-4 profile has links " + device.links().keySet());
        }
        DeviceProfile edgeProfile = serverCal.apply(DeviceProfiles.catalog("x86-edge-server"),
                "this machine as edge server");
        say("Device    " + String.join(", ", cal.describe()) + " (whole model, " + o.threads + " thread"
                + (o.threads == 1 ? "" : "s") + (o.deviceXnnpack ? ", XNNPACK" : ", built-in kernels") + ", median of 15)");
        say("Server    " + String.join(", ", serverCal.describe()) + " (1 thread, XNNPACK)");

        Budgets start = startBudgets(pkg);
        Budgets tightened = tightenedBudgets(pkg, cal, start);

        DevCertificates certs = DevCertificates.localhost(Duration.ofHours(2));
        KeyPair fleetKey = FleetKeys.generate();
        String token = randomToken();
        LinkProfile link = device.links().get(o.link);
        LinkTrace trace = data.trace;
        BandwidthTrace up = trace.uplinkCapacity(LinkTrace.UplinkSource.AUTO);
        BandwidthTrace down = trace.downlink();
        DemoReport report = new DemoReport(data, pkg, start, o, link.rttMillis(), cal);

        try (DemoBroker broker = DemoBroker.start(work.resolve("broker"), certs, o.out.resolve("demo.log"))) {
            say("Broker    MQTT 5 over TLS at " + broker.uri() + " (HiveMQ CE, in this process)");
            java.util.function.Function<String, MqttSettings> settings = node -> MqttSettings
                    .builder(broker.uri(), FLEET, node).socketFactory(certs.clientConfig().socketFactory())
                    .keepAliveSeconds(5).backoff(200, 2000).build();
            try (FleetController controller = new FleetController(settings.apply("controller"), fleetKey)) {
                AtomicInteger telemetry = new AtomicInteger();
                controller.listen(FleetTopics.Type.TELEMETRY, (node, env) -> telemetry.incrementAndGet());
                controller.start(20_000);
                long origin = System.nanoTime();
                try (ShapingProxy proxy = new ShapingProxy(up, down, link.rttMillis() / 2, o.speed, origin)) {
                    EdgeSide edge = new EdgeSide(pkg, certs, token, serverOptions, engine, proxy, settings);
                    edge.start();
                    say("Edge      TLS + token on 127.0.0.1:" + edge.server.nativePort() + ", reached through the "
                            + "shaping relay at 127.0.0.1:" + proxy.port() + "; announced over MQTT as '" + EDGE + "'");
                    try (EdgeRuntime runtime = EdgeRuntime.builder(pkg, device).engine(engine, deviceOptions)
                            .budgets(start).circuitBreaker(CircuitBreakerConfig.DEFAULT)
                            .fleet(settings.apply(DEVICE), fleetKey.getPublic(), 2000)
                            .discoverEdgeServers(edgeProfile, o.link, info -> connect(info.endpoint().path("native")
                                    .asText(), certs, token))
                            .build()) {
                        awaitDiscovery(runtime, 15_000);
                        say("Fleet     '" + DEVICE + "' discovered '" + EDGE + "'; budgets: " + start);
                        say("");
                        loop(runtime, controller, edge, proxy, data, report, tightened, origin);
                        report.telemetryMessages = telemetry.get();
                        report.stats = runtime.stats().toJson();
                    } finally {
                        edge.stop(false);
                    }
                }
            }
        }
        report.wallSeconds = (System.nanoTime() - t0) / 1e9;
        return report;
    }

    private void loop(EdgeRuntime runtime, FleetController controller, EdgeSide edge, ShapingProxy proxy,
            DemoData data, DemoReport report, Budgets tightened, long origin) throws Exception {
        long durationNs = (long) (o.durationSeconds * 1e9);
        long outageStart = o.outage ? (long) (OUTAGE_START * durationNs) : Long.MAX_VALUE;
        long outageEnd = o.outage ? (long) (OUTAGE_END * durationNs) : Long.MAX_VALUE;
        long configAt = (long) (CONFIG_AT * durationNs);
        boolean down = false;
        boolean configSent = false;
        boolean configApplied = false;
        int frame = 0;
        try (DemoProgress progress = new DemoProgress(o.progress && !o.json, System.err, o.durationSeconds)) {
            while (true) {
                long now = System.nanoTime() - origin;
                if (now >= durationNs) {
                    break;
                }
                if (!down && now >= outageStart && now < outageEnd) {
                    edge.stop(true);
                    proxy.dropConnections();
                    down = true;
                    report.event(now / 1e9, "edge server crashed (its MQTT Will announces the death)");
                } else if (down && now >= outageEnd) {
                    edge.start();
                    down = false;
                    outageStart = Long.MAX_VALUE;
                    report.event(now / 1e9, "edge server back on a new port, announced again");
                }
                if (!configSent && now >= configAt) {
                    controller.publishConfig(DEVICE, FleetConfig.of(FLEET, 2, "adaptive", 2000,
                            budgetsJson(tightened)));
                    configSent = true;
                    report.event(now / 1e9, "controller pushed signed config v2: " + tightened);
                }
                if (configSent && !configApplied && runtime.budgets().deadlineMillis() == tightened.deadlineMillis()) {
                    configApplied = true;
                    report.event(now / 1e9, "device verified the signature and applied config v2");
                    explain(runtime, "after config v2");
                }
                if (frame == 10) {
                    explain(runtime, "after 10 pictures");
                }
                DemoData.Picture picture = data.pictures.get(frame % data.pictures.size());
                long before = System.nanoTime();
                InferenceResult r = runtime.infer(InputProvider.image(picture.argb(), picture.width(),
                        picture.height()));
                double at = (before - origin) / 1e9;
                double estimate = uplinkEstimate(runtime);
                DemoReport.Row row = report.add(at, r, proxy.bitsPerSecondNow(true) / 1e6, estimate,
                        runtime.budgets().deadlineMillis(), label(data, r));
                progress.update(at, row, report);
                frame++;
                long spent = System.nanoTime() - before;
                long wait = (long) (o.frameIntervalMillis * 1e6) - spent;
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    /** With --explain: the planner's ranking of the best plans right now. */
    private void explain(EdgeRuntime runtime, String when) {
        if (!o.explain || o.json) {
            return;
        }
        err.println("Planner's ranking " + when + " (chosen first):");
        for (io.edgesplit.router.PlanOutcome p : runtime.explain(6)) {
            err.println("  " + p);
        }
    }

    /** The runtime's uplink estimate for the edge server (NaN while none is known). */
    private static double uplinkEstimate(EdgeRuntime runtime) {
        if (runtime.costTable().targets().size() < 2) {
            return Double.NaN;
        }
        return runtime.estimators().uplinkBitsPerSecond(1) / 1e6;
    }

    private static String label(DemoData data, InferenceResult r) {
        int top = r.output(0).argMax();
        if (!data.labels.isEmpty() && r.output(0).elementCount() == data.labels.size()) {
            return data.labels.get(top);
        }
        return "class " + top;
    }

    /** Energy first, under a deadline and an accuracy floor that the two widest variants meet. */
    static Budgets startBudgets(ModelPackage pkg) {
        List<Variant> byAccuracy = sortedByAccuracy(pkg);
        double floor = byAccuracy.get(Math.max(0, byAccuracy.size() - 2)).accuracy() - 0.005;
        return Budgets.builder().objective(Objective.MIN_ENERGY).deadlineMillis(400, true).minAccuracy(floor, true)
                .build();
    }

    /**
     * A deadline the widest allowed variant cannot meet on this device (and the link's RTT rules out
     * offloading), with an accuracy floor one width lower: the device must switch width.
     */
    static Budgets tightenedBudgets(ModelPackage pkg, DemoCalibration cal, Budgets start) {
        List<Variant> byAccuracy = sortedByAccuracy(pkg);
        int lower = Math.max(0, byAccuracy.size() - 3);
        Variant narrower = byAccuracy.get(lower);
        double local = cal.medianMillis[pkg.variants().indexOf(narrower)];
        double deadline = Math.max(20, Math.ceil(local * 2.5 / 5) * 5);
        return start.toBuilder().deadlineMillis(deadline, true).minAccuracy(narrower.accuracy() - 0.005, true).build();
    }

    private static List<Variant> sortedByAccuracy(ModelPackage pkg) {
        List<Variant> list = new ArrayList<>(pkg.variants());
        list.sort(Comparator.comparingDouble(v -> v.accuracy() == null ? 0 : v.accuracy()));
        return list;
    }

    private ObjectNode budgetsJson(Budgets b) {
        ObjectNode n = mapper.createObjectNode();
        n.put("deadlineMs", b.deadlineMillis());
        n.put("deadlineHard", b.deadlineHard());
        n.put("minAccuracy", b.minAccuracy());
        n.put("accuracyHard", b.accuracyHard());
        n.put("objective", "energy");
        return n;
    }

    /** The package for this family, built once and reused (checked by the loader on every run). */
    private ModelPackage packageFor(DemoData data) throws IOException {
        StringBuilder key = new StringBuilder(data.familyName);
        for (VariantSource v : data.variants) {
            key.append(v.sourceSha256()).append(v.accuracy());
        }
        String id = Sha256.of(key.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        Path dir = o.out.resolve("package-" + data.familyName + "-" + id);
        if (Files.isRegularFile(dir.resolve(ModelPackage.MANIFEST))) {
            try {
                return ModelPackage.load(dir);
            } catch (IOException e) {
                say("Package   " + dir + " does not verify (" + e.getMessage() + "); building it again");
            }
        }
        PackageBuilder b = new PackageBuilder(data.familyName).maxCrossing(2).codecs(List.of("raw", "int8", "fp16"))
                .createdBy("edgesplit demo");
        for (VariantSource v : data.variants) {
            b.addVariant(v);
        }
        try (CliProgress progress = new CliProgress(o.progress && !o.json, System.err)) {
            b.progress(progress);
            return b.write(dir, true);
        }
    }

    private static int splitsOf(ModelPackage pkg) {
        int n = 0;
        for (Variant v : pkg.variants()) {
            n += v.splits().size();
        }
        return n;
    }

    private static String describePictures(DemoData data) {
        List<String> names = new ArrayList<>();
        for (DemoData.Picture p : data.pictures) {
            names.add(p.name());
        }
        return String.join(", ", names) + (data.labels.isEmpty() ? "" : " (ImageNet labels)");
    }

    private static void awaitDiscovery(EdgeRuntime runtime, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (runtime.costTable().targets().size() < 2) {
            if (System.currentTimeMillis() > deadline) {
                throw new CliException("the device did not discover the edge server over MQTT within " + millis
                        + " ms");
            }
            Thread.sleep(50);
        }
    }

    /** A client for an announced server; the runtime connects it before planning with the server. */
    private static NativeOffloadClient connect(String hostPort, DevCertificates certs, String token) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("announced endpoint '" + hostPort + "' is not host:port");
        }
        return NativeOffloadClient.create(NativeClientConfig.builder(hostPort.substring(0, colon),
                Integer.parseInt(hostPort.substring(colon + 1))).tls(certs.clientConfig()).token(token)
                .clientName(DEVICE).connections(1).build());
    }

    private static String randomToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format(Locale.ROOT, "%02x", x));
        }
        return s.toString();
    }

    private void say(String line) {
        if (!o.json) {
            out.println(line);
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Cleanup in a finally block: reports a failure instead of hiding the run's own exception. */
    private static void deleteTree(Path dir) {
        try {
            CliFiles.deleteRecursively(dir);
        } catch (IOException e) {
            System.err.println("edgesplit demo: could not remove " + dir + ": " + e.getMessage());
        }
    }

    /** The edge server and its announcer; stopped and started again for the outage. */
    private final class EdgeSide {
        private final ModelPackage pkg;
        private final DevCertificates certs;
        private final String token;
        private final EngineOptions options;
        private final InferenceEngine engine;
        private final ShapingProxy proxy;
        private final java.util.function.Function<String, MqttSettings> settings;
        EdgeServer server;
        ServerAnnouncer announcer;

        EdgeSide(ModelPackage pkg, DevCertificates certs, String token, EngineOptions options, InferenceEngine engine,
                ShapingProxy proxy, java.util.function.Function<String, MqttSettings> settings) {
            this.pkg = pkg;
            this.certs = certs;
            this.token = token;
            this.options = options;
            this.engine = engine;
            this.proxy = proxy;
            this.settings = settings;
        }

        void start() throws Exception {
            Map<String, String> tokens = new HashMap<>();
            tokens.put(token, DEVICE);
            server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0)
                    .tls(certs.serverConfig()).authenticator(Authenticator.tokens(tokens)).workers(1)
                    .engine(engine, options).build(), List.of(pkg));
            proxy.upstream("127.0.0.1", server.nativePort());
            ObjectNode endpoint = mapper.createObjectNode().put("native", "127.0.0.1:" + proxy.port()).put("tls", true);
            announcer = new ServerAnnouncer(settings.apply(EDGE), endpoint, List.of(pkg.manifest().family()),
                    () -> mapper.valueToTree(server.load()), 2000, System::currentTimeMillis);
            announcer.start();
        }

        /** {@code crash}: no goodbye, the broker publishes the Will; else a clean shutdown. */
        void stop(boolean crash) {
            if (announcer != null) {
                if (crash) {
                    announcer.crash();
                } else {
                    announcer.close();
                }
                announcer = null;
            }
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
