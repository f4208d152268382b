package io.edgesplit.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.server.Authenticator;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.ServerLoad;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerAnnouncer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * An edge server that runs the tails of a model package for devices, with TLS and a token, and
 * announces itself to the fleet over MQTT (a retained STATE refreshed every 2 s, and a Will so that
 * devices drop it if it dies). Without {@code --broker} it also hosts the MQTT broker. Runs until
 * Ctrl-C.
 */
@Command(name = "edge-server", sortOptions = false, description = {
    "Serve the tails of a model package over TLS and announce the server over MQTT.",
    "Without --broker it starts an MQTT broker in this process and prints its URL",
    "for the other samples. Writes its certificate (edge.crt) and token (edge.token)",
    "into --state, where the app loop finds them. Ctrl-C stops it.", ""})
public final class EdgeServerSample implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--package", paramLabel = "DIR",
            description = "Model package to serve (default: the built-in synthetic family, made once in --state).")
    Path packageDir;

    @Option(names = "--broker", paramLabel = "URL", description = "MQTT broker to announce on, e.g. "
            + "ssl://broker:8883 (default: start one in this process).")
    String brokerUrl;

    @Option(names = "--broker-port", paramLabel = "N", defaultValue = "1883",
            description = "Port of the in-process broker on 127.0.0.1; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--port", paramLabel = "N", defaultValue = "7443",
            description = "Port devices offload to (native protocol over TLS); 0 picks a free one "
                    + "(default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--node", paramLabel = "ID", defaultValue = "edge-1",
            description = "This server's node id in the fleet (default ${DEFAULT-VALUE}).")
    String node;

    @Option(names = "--fleet", paramLabel = "ID", defaultValue = "samples",
            description = "Fleet id, shared by the three samples (default ${DEFAULT-VALUE}).")
    String fleet;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = Samples.STATE_DEFAULT,
            description = "Directory the samples share for certificate, token and keys (default ${DEFAULT-VALUE}).")
    Path state;

    public static void main(String[] args) {
        Samples.main(new EdgeServerSample(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: must be 0..65535, was " + port);
        }
        if (brokerUrl != null && spec.commandLine().getParseResult().hasMatchedOption("--broker-port")) {
            throw new ParameterException(spec.commandLine(), "--broker-port is for the in-process broker; it cannot "
                    + "be combined with --broker");
        }
        if (brokerPort < 0 || brokerPort > 65535) {
            throw new ParameterException(spec.commandLine(), "--broker-port: must be 0..65535, was " + brokerPort);
        }
        mqtt(brokerUrl != null ? brokerUrl : "tcp://127.0.0.1:1883"); // checks --broker, --node and --fleet now
        PrintWriter out = spec.commandLine().getOut();
        SampleState shared = new SampleState(state);
        ModelPackage pkg = packageDir != null ? ModelPackage.load(packageDir) : shared.syntheticPackage();

        // TLS stays on even on one machine: a self-signed certificate for localhost, written where the app finds it.
        DevCertificates certificate = DevCertificates.localhost(Duration.ofDays(30));
        EdgeServerConfig config = EdgeServerConfig.builder()
                .bindHost("127.0.0.1").nativePort(port)
                .preload(true) // every tail loaded now, so the first requests do not wait for it
                .tls(certificate.serverConfig())
                .authenticator(Authenticator.tokens(Map.of(shared.edgeToken(), "samples-app")))
                .build();

        try (Samples.CtrlC stop = new Samples.CtrlC();
                EmbeddedBroker broker = brokerUrl == null ? EmbeddedBroker.start(brokerPort) : null;
                EdgeServer server = EdgeServer.start(config, List.of(pkg));
                ServerAnnouncer announcer = announcer(broker != null ? broker.url() : brokerUrl, server, pkg)) {
            if (broker != null) {
                out.println("MQTT broker   " + broker.url() + "   (in this process; pass --broker " + broker.url()
                        + " to the other samples)");
            }
            out.println("edge server   " + node + " serving " + server.segments().size() + " tails of "
                    + pkg.manifest().family() + " on localhost:" + server.nativePort() + " (TLS, token)");
            // written only now that this server runs: a second one failing to start must not replace it
            Path[] pem = certificate.writePem(shared.dir(), "edge");
            ownerOnly(pem[1]);
            out.println("state         certificate " + pem[0] + ", token " + shared.dir().resolve("edge.token"));
            announcer.start();
            out.println("announced     on fleet '" + fleet + "'; Ctrl-C stops (devices see it go offline)");
            ServerLoad last = null;
            try {
                while (true) {
                    Thread.sleep(5_000);
                    ServerLoad now = server.load();
                    if (last == null || now.completed() != last.completed() || now.connections() != last.connections()) {
                        out.printf("load          %d connections, %d tails computed, %d queued, %d refused busy%n",
                                now.connections(), now.completed(), now.queued(), now.rejectedBusy());
                    }
                    last = now;
                }
            } catch (InterruptedException e) {
                out.println("stopping      announcing offline, draining requests");
            }
        }
        return 0;
    }

    /** The retained STATE devices discover this server from: where to connect, what it serves, its load. */
    private ServerAnnouncer announcer(String url, EdgeServer server, ModelPackage pkg) throws MqttException {
        ObjectNode endpoint = JSON.createObjectNode().put("native", "localhost:" + server.nativePort()).put("tls", true);
        return new ServerAnnouncer(mqtt(url), endpoint, List.of(pkg.manifest().family()), () -> load(server), 2_000,
                System::currentTimeMillis);
    }

    private MqttSettings mqtt(String url) {
        return Samples.mqtt(spec, url, fleet, node);
    }

    /**
     * The server's load as `edgesplit serve` announces it (every field of {@link ServerLoad}); devices
     * read {@code estimatedQueueNs} into their queue estimate of this server.
     */
    private static JsonNode load(EdgeServer server) {
        return JSON.valueToTree(server.load());
    }

    private static void ownerOnly(Path file) throws java.io.IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
