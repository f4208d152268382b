package io.edgesplit.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.runtime.fleet.CommandResult;
import io.edgesplit.runtime.fleet.FleetConfig;
import io.edgesplit.runtime.fleet.FleetController;
import io.edgesplit.runtime.fleet.FleetKeys;
import io.edgesplit.runtime.fleet.FleetTopics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The operator's side of a fleet: signs a configuration (policy, budgets, telemetry interval) with
 * the fleet's private key and publishes it for one device (retained, so a device that connects later
 * gets it too), asks the device for a report over MQTT 5 request/response, and prints the births,
 * deaths, telemetry and edge server states it hears.
 */
@Command(name = "fleet-controller", sortOptions = false, description = {
    "Push signed budgets and policy to a device and print what the fleet reports.",
    "The fleet key pair lives in --state (made on first use); the app loop checks",
    "signatures with its public half.", ""})
public final class FleetControllerSample implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The policies EdgeRuntime knows. */
    private static final List<String> POLICIES = List.of("adaptive", "local-only", "edge-only", "cloud-only");

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--broker", paramLabel = "URL", required = true,
            description = "MQTT broker of the fleet, e.g. tcp://127.0.0.1:1883 (the edge server sample prints it).")
    String brokerUrl;

    @Option(names = "--device", paramLabel = "NODE", defaultValue = "app-1",
            description = "The device to configure (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "adaptive",
            description = "adaptive, local-only, edge-only or cloud-only (default ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--deadline", paramLabel = "TIME", converter = Samples.Millis.class,
            description = "Latency budget per inference, e.g. 50ms.")
    Double deadlineMillis;

    @Option(names = "--energy", paramLabel = "ENERGY", converter = Samples.Millijoules.class,
            description = "Device energy budget per inference, e.g. 20mJ.")
    Double energyMillijoules;

    @Option(names = "--min-accuracy", paramLabel = "A",
            description = "Lowest acceptable accuracy in [0, 1] of the width that runs.")
    Double minAccuracy;

    @Option(names = "--telemetry-every", paramLabel = "TIME", defaultValue = "2s", converter = Samples.Millis.class,
            description = "How often the device reports, 1s or more (default ${DEFAULT-VALUE}).")
    double telemetryMillis;

    @Option(names = "--for", paramLabel = "TIME", defaultValue = "0s", converter = Samples.Millis.class,
            description = "How long to keep printing what the fleet reports; 0s: until Ctrl-C (default ${DEFAULT-VALUE}).")
    double forMillis;

    @Option(names = "--node", paramLabel = "ID", defaultValue = "controller-1",
            description = "The controller's own node id (default ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--fleet", paramLabel = "ID", defaultValue = "samples",
            description = "Fleet id, shared by the three samples (default ${DEFAULT-VALUE}).")
    String fleet;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = Samples.STATE_DEFAULT,
            description = "Directory the samples share for certificate, token and keys (default ${DEFAULT-VALUE}).")
    Path state;

    private final Map<String, String> serverStates = new ConcurrentHashMap<>();
    private PrintWriter out;

    public static void main(String[] args) {
        Samples.main(new FleetControllerSample(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!POLICIES.contains(policy)) {
            throw new ParameterException(spec.commandLine(), "--policy: '" + policy + "' is not one of " + POLICIES);
        }
        try {
            FleetTopics.validateId("--device", device);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        FleetConfig config = config();
        out = spec.commandLine().getOut();
        KeyPair fleetKey = new SampleState(state).fleetKeys();

        try (Samples.CtrlC stop = new Samples.CtrlC();
                FleetController controller = new FleetController(Samples.mqtt(spec, brokerUrl, fleet, node), fleetKey)) {
            controller.listen(FleetTopics.Type.BIRTH, (from, message) -> print("birth", from, birth(message)));
            controller.listen(FleetTopics.Type.DEATH, (from, message) -> print("death", from,
                    message.path("body").path("reason").asText()));
            controller.listen(FleetTopics.Type.STATE, (from, message) -> {
                // servers refresh their state every few seconds; print only what changed
                if (!state(message).equals(serverStates.put(from, state(message)))) {
                    print("server", from, state(message));
                }
            });
            controller.listen(FleetTopics.Type.TELEMETRY, (from, message) -> print("telemetry", from,
                    telemetry(message.path("body"))));
            try {
                controller.start(10_000);
            } catch (TimeoutException e) {
                throw new IllegalStateException("no MQTT broker answered at " + brokerUrl + " within 10 s; start the "
                        + "edge server sample first (it hosts one) or pass the URL of yours");
            }

            controller.publishConfig(device, config);
            print("pushed", device, config + ", signed with key "
                    + FleetKeys.keyId(fleetKey.getPublic()));
            try {
                askForReport(controller);
                Thread.sleep(forMillis > 0 ? (long) forMillis : Long.MAX_VALUE); // until Ctrl-C
            } catch (InterruptedException e) {
                // Ctrl-C
            }
        }
        return 0;
    }

    /** A command over MQTT 5 request/response: the device answers with its current statistics. */
    private void askForReport(FleetController controller) throws InterruptedException {
        try {
            CommandResult report = controller.command(device, "report", null, 5_000).get();
            print("report", device, "answered " + report.code() + " " + report.message() + ": "
                    + telemetry(JSON.createObjectNode().set("stats", report.body())));
        } catch (ExecutionException e) {
            print("report", device, e.getCause().getMessage() + "; the configuration is retained and applies "
                    + "when it connects");
        }
    }

    /** The configuration to sign; its version is the time, so a later push always supersedes an earlier one. */
    private FleetConfig config() {
        ObjectNode budgets = JSON.createObjectNode();
        if (deadlineMillis != null) {
            budgets.put("deadlineMs", deadlineMillis);
        }
        if (energyMillijoules != null) {
            budgets.put("energyMj", energyMillijoules);
        }
        if (minAccuracy != null) {
            budgets.put("minAccuracy", minAccuracy);
        }
        try {
            return FleetConfig.of(fleet, System.currentTimeMillis(), policy, (long) telemetryMillis, budgets);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid configuration: " + e.getMessage());
        }
    }

    private void print(String what, String from, String text) {
        out.printf(Locale.ROOT, "%-12s %-12s %s%n", what, from, text);
    }

    private static String birth(ObjectNode message) {
        JsonNode d = message.path("body").path("device");
        return "profile " + d.path("profile").asText() + ", package " + d.path("package").asText() + ", targets "
                + d.path("targets") + ", config version " + message.path("body").path("configVersion").asLong();
    }

    private static String state(ObjectNode message) {
        JsonNode b = message.path("body");
        return b.path("online").asBoolean() ? "online at " + b.path("endpoint").path("native").asText() + ", serving "
                + b.path("models") : "offline";
    }

    private static String telemetry(JsonNode body) {
        if (body.has("event")) {
            return body.path("event").asText() + " version " + body.path("version").asLong()
                    + (body.has("reason") ? ": " + body.path("reason").asText() : "");
        }
        JsonNode s = body.path("stats");
        return String.format(Locale.ROOT, "%d inferences (%d local, %d offloaded, %d fell back), p50 %.1f ms, "
                + "p95 %.1f ms, policy %s, %s", s.path("inferences").asLong(), s.path("local").asLong(),
                s.path("remote").asLong(), s.path("fallbacks").asLong(), s.path("latencyP50Ms").asDouble(),
                s.path("latencyP95Ms").asDouble(), s.path("policy").asText(), s.path("budgets").asText());
    }
}
