package io.edgesplit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.server.Authenticator;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.offload.server.ServerLoad;
import io.edgesplit.offload.server.TlsServerConfig;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerAnnouncer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.common.MqttException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit serve --package DIR}: the edge server. Loads the packages (every segment's
 * SHA-256 checked), serves their tails over the native protocol and, with {@code --http-port}, the
 * Open Inference Protocol v2; with {@code --broker} it announces itself to the fleet over MQTT 5
 * ({@link ServerAnnouncer}), so that devices discover it. Runs until SIGINT/SIGTERM, then withdraws
 * the announcement and drains. TLS and client authentication are required unless turned off
 * explicitly.
 */
@Command(name = "serve", description = {
    "Serve the tail segments of model packages to devices (native protocol) and, with --http-port, over the",
    "Open Inference Protocol v2 REST API. Needs TLS (--tls-cert/--tls-key) and client authentication",
    "(--token-file and/or --client-ca) unless --insecure-plaintext / --allow-anonymous say otherwise.",
    "With --broker it announces itself to the fleet over MQTT 5, so that devices discover it.",
    "Stops on SIGINT/SIGTERM: withdraws the announcement, then drains (queued and running requests",
    "finish, new ones are refused)."})
final class ServeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--package", required = true, split = ",", paramLabel = "DIR",
            description = "Model package directory (repeat or comma-separate for several).")
    List<Path> packages = new ArrayList<>();

    @Option(names = "--port", defaultValue = "7443", paramLabel = "N",
            description = "Native protocol port; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--http-port", defaultValue = "-1", paramLabel = "N",
            description = "Open Inference Protocol v2 port; 0 picks a free one, -1 (default) serves no HTTP.")
    int httpPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "HOST",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "Server certificate chain, PEM.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "Server private key, PEM (unencrypted PKCS#8).")
    Path tlsKey;

    @Option(names = "--client-ca", paramLabel = "FILE",
            description = "Require client certificates issued by these CAs (PEM); clients are named by their CN.")
    Path clientCa;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "Bearer tokens, one per line: 'CLIENT-ID TOKEN' (tokens of 16+ characters; # comments).")
    Path tokenFile;

    @Option(names = "--insecure-plaintext", description = "Serve without TLS (trusted networks and tests only).")
    boolean plaintext;

    @Option(names = "--allow-anonymous", description = "Let clients in without a token or certificate (tests only).")
    boolean anonymous;

    @Option(names = "--workers", paramLabel = "N", description = "Tails computed in parallel (default: cores).")
    Integer workers;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Queued requests for one tail a worker runs together (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--inline-max-ms", defaultValue = "20", paramLabel = "MS",
            description = {"A request whose tail is expected to take at most this long runs on the I/O thread that",
                "received it when its connection has that thread to itself and a worker is free (saves two thread",
                "hand-offs); 0 turns this off (default ${DEFAULT-VALUE} ms, at most 1000)."})
    long inlineMaxMs;

    @Option(names = "--rate-limit", defaultValue = "200", paramLabel = "RPS",
            description = "Requests per second per client, 0 for none (default ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(names = "--burst", defaultValue = "50", paramLabel = "N",
            description = "Requests a client may make at once (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--drain-timeout", defaultValue = "10000", paramLabel = "MS",
            description = "How long shutdown lets requests finish (default ${DEFAULT-VALUE} ms).")
    long drainTimeoutMs;

    @Option(names = "--preload", description = "Load every tail at start instead of on first use.")
    boolean preload;

    @Option(names = "--status-interval", defaultValue = "0", paramLabel = "S",
            description = "Print the load every S seconds (0, default: only at start and stop).")
    int statusIntervalS;

    @Option(names = "--port-file", paramLabel = "FILE",
            description = "Write the bound ports as JSON to FILE once listening (for scripts using port 0).")
    Path portFile;

    @Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--json-log", description = "Print status lines as JSON objects, one per line.")
    boolean jsonLog;

    @Override
    public Integer call() throws Exception {
        EdgeServerConfig config = config();
        MqttSettings mqtt = broker.settings(spec); // every option checked before the packages load
        PrintWriter out = spec.commandLine().getOut();
        List<ModelPackage> loaded = new ArrayList<>();
        for (Path p : packages) {
            loaded.add(ModelPackage.load(p));
        }
        EdgeServer server = EdgeServer.start(config, loaded);
        ObjectNode endpoint = null;
        ServerAnnouncer announcer = null;
        if (mqtt != null) {
            try {
                endpoint = broker.endpoint(bind, server.nativePort(), server.httpPort(), config.tls() != null);
                announcer = announcer(mqtt, endpoint, server, loaded, out);
            } catch (MqttException e) {
                server.close();
                throw new CliException("--broker " + mqtt.serverUri() + ": cannot create the MQTT client: "
                        + e.getMessage(), e);
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
        ServerAnnouncer announcing = announcer;
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            synchronized (stopping) { // never start announcing after this
                stopping.set(true);
            }
            if (announcing != null) {
                // first, so that devices stop choosing this server while it drains
                boolean connected = announcing.link().isConnected();
                boolean everConnected = announcing.link().connectCount() > 0;
                announcing.close();
                if (connected) {
                    log(out, "withdrawn", fields("broker", mqtt.serverUri(), "node", mqtt.nodeId()));
                } else if (everConnected) {
                    log(out, "warning", Map.of("message", "not connected to the broker, so no offline announcement; "
                            + "devices drop this server when its Will arrives or its last announcement ages"));
                } else {
                    log(out, "warning", Map.of("message", "never reached the broker, so this server was not announced"));
                }
            }
            log(out, "draining", Map.of("load", server.load()));
            server.close();
            log(out, "stopped", Map.of("load", server.load()));
            stopped.countDown();
        }, "edgesplit-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("nativePort", server.nativePort());
        ready.put("httpPort", server.httpPort());
        ready.put("tls", config.tls() != null);
        ready.put("clientCertificates", clientCa != null);
        ready.put("tokens", tokenFile != null);
        ready.put("packages", packages.stream().map(Path::toString).toList());
        ready.put("tails", server.segments().size());
        ready.put("workers", config.workers());
        ready.put("inlineMaxMs", config.inlineMaxMs());
        if (mqtt != null) {
            ready.put("broker", mqtt.serverUri());
            ready.put("fleet", mqtt.fleet());
            ready.put("node", mqtt.nodeId());
            ready.put("endpoint", endpoint);
        }
        if (portFile != null) {
            Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(ready), StandardCharsets.UTF_8);
            Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        log(out, "listening", ready);
        synchronized (stopping) {
            if (announcer != null && !stopping.get()) {
                announcer.start(); // connects in the background, retrying with backoff until the broker answers
            }
        }
        while (!stopped.await(statusIntervalS > 0 ? statusIntervalS : 3600, TimeUnit.SECONDS)) {
            if (statusIntervalS > 0) {
                log(out, "load", Map.of("load", server.load()));
            }
        }
        return 0;
    }

    /**
     * The server's presence in the fleet: a retained STATE with the endpoint, the package families and
     * the load, refreshed every {@code --announce-interval}, and a Will. Connection events are logged:
     * a broker that refuses TLS or the credentials would otherwise leave the server silently unannounced.
     */
    private ServerAnnouncer announcer(MqttSettings mqtt, ObjectNode endpoint, EdgeServer server,
            List<ModelPackage> loaded, PrintWriter out) throws MqttException {
        List<String> families = loaded.stream().map(p -> p.manifest().family()).distinct().toList();
        ServerAnnouncer announcer = new ServerAnnouncer(mqtt, endpoint, families, () -> JSON.valueToTree(server.load()),
                broker.announceIntervalMs, System::currentTimeMillis);
        AtomicReference<String> lastFailure = new AtomicReference<>();
        announcer.link().onConnected(() -> {
            lastFailure.set(null);
            log(out, "broker-connected", fields("broker", mqtt.serverUri(), "fleet", mqtt.fleet(), "node",
                    mqtt.nodeId(), "announcing", endpoint));
        });
        announcer.link().onDisconnected(() -> log(out, "broker-connection-lost", Map.of("broker", mqtt.serverUri())));
        announcer.link().onConnectFailed(cause -> {
            String reason = reason(cause);
            if (!reason.equals(lastFailure.getAndSet(reason))) { // once per distinct reason, not every retry
                log(out, "broker-unreachable", fields("broker", mqtt.serverUri(), "reason", reason, "retrying",
                        true));
            }
        });
        return announcer;
    }

    /** Log fields in the order given. */
    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    /** The exception and its causes, as one line: Paho's own message alone rarely says what failed. */
    private static String reason(Throwable cause) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = cause; t != null && sb.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (sb.indexOf(m) < 0) {
                sb.append(sb.length() == 0 ? "" : ": ").append(m);
            }
        }
        return sb.length() == 0 ? "unknown" : sb.toString();
    }

    EdgeServerConfig config() throws IOException {
        if (inlineMaxMs < 0 || inlineMaxMs > 1000) {
            throw usage("--inline-max-ms: must be 0..1000 (0 turns inline runs off), was " + inlineMaxMs);
        }
        EdgeServerConfig.Builder b = EdgeServerConfig.builder().bindHost(bind).nativePort(port).httpPort(httpPort)
                .maxBatch(maxBatch).drainTimeoutMs(drainTimeoutMs).preload(preload).inlineMaxMs(inlineMaxMs);
        if (workers != null) {
            b.workers(workers);
        }
        b.rateLimit(rateLimit <= 0 ? RateLimit.UNLIMITED : RateLimit.perClient(rateLimit, burst));
        if (plaintext) {
            if (tlsCert != null || tlsKey != null || clientCa != null) {
                throw usage("--insecure-plaintext cannot be combined with --tls-cert, --tls-key or --client-ca");
            }
            b.plaintext();
        } else {
            if (tlsCert == null || tlsKey == null) {
                throw usage("TLS is on by default: give --tls-cert and --tls-key (PEM), or --insecure-plaintext");
            }
            TlsServerConfig tls = TlsServerConfig.fromPem(tlsCert, tlsKey);
            if (clientCa != null) {
                tls = tls.requireClientCertificates(clientCa);
            }
            b.tls(tls);
        }
        List<Authenticator> auth = new ArrayList<>();
        if (tokenFile != null) {
            auth.add(Authenticator.tokens(readTokens(tokenFile)));
        }
        if (clientCa != null) {
            auth.add(Authenticator.clientCertificates());
        }
        if (anonymous) {
            if (!auth.isEmpty()) {
                throw usage("--allow-anonymous cannot be combined with --token-file or --client-ca");
            }
            b.allowAnonymous();
        } else if (auth.isEmpty()) {
            throw usage("clients must authenticate: give --token-file and/or --client-ca, or --allow-anonymous");
        } else {
            b.authenticator(auth.size() == 1 ? auth.get(0) : Authenticator.anyOf(auth.toArray(new Authenticator[0])));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Reads 'CLIENT-ID TOKEN' lines; the message names the file, the line and the reason. */
    static Map<String, String> readTokens(Path file) throws IOException {
        Map<String, String> tokens = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new CliException(file + ": line " + (i + 1) + ": expected 'CLIENT-ID TOKEN', got "
                        + parts.length + " fields");
            }
            if (parts[1].length() < 16) {
                throw new CliException(file + ": line " + (i + 1) + ": the token of client '" + parts[0]
                        + "' has " + parts[1].length() + " characters, at least 16 are needed");
            }
            if (tokens.put(parts[1], parts[0]) != null) {
                throw new CliException(file + ": line " + (i + 1) + ": token given twice");
            }
        }
        if (tokens.isEmpty()) {
            throw new CliException(file + ": no tokens");
        }
        return tokens;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private void log(PrintWriter out, String event, Map<String, Object> fields) {
        if (jsonLog) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("time", Instant.now().toString());
            line.put("event", event);
            line.putAll(fields);
            try {
                out.println(JSON.writeValueAsString(line));
            } catch (IOException e) {
                out.println("{\"event\":\"" + event + "\"}");
            }
        } else {
            StringBuilder sb = new StringBuilder("edgesplit serve: ").append(event);
            fields.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v instanceof ServerLoad
                    ? describe((ServerLoad) v) : v));
            out.println(sb);
        }
        out.flush();
    }

    private static String describe(ServerLoad l) {
        return "{workers=" + l.workers() + " queued=" + l.queued() + " running=" + l.running() + " connections="
                + l.connections() + " completed=" + l.completed() + " busy=" + l.rejectedBusy() + " expired="
                + l.expired() + " failed=" + l.failed() + " inline=" + l.inline() + " estimatedQueueMs=" + l.estimatedQueueNs() / 1_000_000
                + "}";
    }
}
