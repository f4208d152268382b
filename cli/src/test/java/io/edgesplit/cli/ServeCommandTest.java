package io.edgesplit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.runtime.fleet.DeviceFleetAgent;
import io.edgesplit.runtime.fleet.FleetController;
import io.edgesplit.runtime.fleet.FleetKeys;
import io.edgesplit.runtime.fleet.FleetTopics;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerInfo;
import io.edgesplit.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code edgesplit serve}: secure defaults, token files, a real server process stopped with SIGTERM,
 * and its announcement to the fleet over a real MQTT 5 broker.
 */
class ServeCommandTest {

    private static final String TOKEN = "serve-test-token-0123456789";

    @TempDir
    static Path tmp;
    static Path pkg;
    /** The MQTT 5 broker (HiveMQ CE, TLS with this certificate) of the tests that need one; started on first use. */
    static final DevCertificates BROKER_CERT = DevCertificates.localhost(Duration.ofDays(1));
    private static DemoBroker broker;

    static synchronized DemoBroker broker() throws java.io.IOException {
        if (broker == null) {
            Path home = tmp.resolve("mqtt");
            broker = DemoBroker.start(home, BROKER_CERT, home.resolve("broker.log"));
        }
        return broker;
    }

    @AfterAll
    static synchronized void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeAll
    static void buildPackage() {
        pkg = tmp.resolve("pkg");
        InspectCommandTest.Run split = InspectCommandTest.cli("split", "--synthetic", "--out", pkg.toString(), "--no-progress");
        assertEquals(0, split.exitCode(), split.err());
    }

    @Test
    void refusesToServeWithoutTlsOrAuthenticationUnlessToldExplicitly() {
        InspectCommandTest.Run noTls = InspectCommandTest.cli("serve", "--package", pkg.toString());
        assertEquals(2, noTls.exitCode());
        assertTrue(noTls.err().contains("TLS is on by default"), noTls.err());
        InspectCommandTest.Run noAuth = InspectCommandTest.cli("serve", "--package", pkg.toString(), "--insecure-plaintext");
        assertEquals(2, noAuth.exitCode());
        assertTrue(noAuth.err().contains("clients must authenticate"), noAuth.err());
    }

    @Test
    void aTokenFileNamesTheLineThatIsWrong() throws Exception {
        Path tokens = tmp.resolve("tokens.txt");
        Files.writeString(tokens, "# devices\ndevice-1 " + TOKEN + "\ndevice-2 short\n");
        InspectCommandTest.Run run = InspectCommandTest.cli("serve", "--package", pkg.toString(), "--insecure-plaintext",
                "--token-file", tokens.toString(), "--port", "0");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("tokens.txt: line 3: the token of client 'device-2' has 5 characters"), run.err());
    }

    @Test
    void brokerOptionsAreCheckedBeforeAnythingIsServed() throws Exception {
        String[] open = {"serve", "--package", pkg.toString(), "--port", "0", "--insecure-plaintext", "--allow-anonymous"};
        assertUsage(open, "--fleet, --node: only used with --broker URL, which was not given",
                "--fleet", "f", "--node", "n");
        assertUsage(open, "--broker: 'mqtt://broker:1883' must be ssl://host:port", "--broker", "mqtt://broker:1883",
                "--fleet", "f");
        assertUsage(open, "--broker: 'tcp://broker.example:1883' is plaintext to a remote broker", "--broker",
                "tcp://broker.example:1883", "--fleet", "f", "--node", "n");
        assertUsage(open, "--broker-ca: the broker URL tcp://127.0.0.1:1883 is plaintext; TLS options need ssl://",
                "--broker", "tcp://127.0.0.1:1883", "--fleet", "f", "--node", "n", "--broker-ca", "ca.pem");
        assertUsage(open, "--broker-insecure-plaintext cannot be combined with an ssl:// broker URL", "--broker",
                "ssl://127.0.0.1:8883", "--fleet", "f", "--node", "n", "--broker-insecure-plaintext");
        assertUsage(open, "--node: 'edge/1' must be 1-64 letters", "--broker", "ssl://127.0.0.1:8883", "--fleet", "f",
                "--node", "edge/1");
        assertUsage(open, "--fleet: 'plant#7' must be 1-64 letters", "--broker", "ssl://127.0.0.1:8883", "--fleet",
                "plant#7", "--node", "n");
        assertUsage(open, "--broker-user needs --broker-password-file", "--broker", "ssl://127.0.0.1:8883", "--fleet",
                "f", "--node", "n", "--broker-user", "edge");
        assertUsage(open, "--broker-key needs --broker-cert", "--broker", "ssl://127.0.0.1:8883", "--fleet", "f",
                "--node", "n", "--broker-key", "k.pem");
        assertUsage(open, "--announce-interval: must be at least 100 ms, was 50", "--broker", "ssl://127.0.0.1:8883",
                "--fleet", "f", "--node", "n", "--announce-interval", "50");

        Path empty = tmp.resolve("empty-password.txt");
        Files.writeString(empty, "\n");
        InspectCommandTest.Run noPassword = InspectCommandTest.cli(concat(open, "--broker", "ssl://127.0.0.1:8883",
                "--fleet", "f", "--node", "n", "--broker-user", "edge", "--broker-password-file", empty.toString()));
        assertEquals(1, noPassword.exitCode(), noPassword.err());
        assertTrue(noPassword.err().contains("--broker-password-file: " + empty + ": the first line (the password) is "
                + "empty"), noPassword.err());
        Path notPem = tmp.resolve("not-a-ca.pem");
        Files.writeString(notPem, "hello\n");
        InspectCommandTest.Run badCa = InspectCommandTest.cli(concat(open, "--broker", "ssl://127.0.0.1:8883",
                "--fleet", "f", "--node", "n", "--broker-ca", notPem.toString()));
        assertEquals(1, badCa.exitCode(), badCa.err());
        assertTrue(badCa.err().contains("--broker-ca: " + notPem + ": "), badCa.err());
    }

    @Test
    void inlineMaxMsIsParsedAndRangeChecked() throws Exception {
        String[] open = {"serve", "--package", pkg.toString(), "--port", "0", "--insecure-plaintext", "--allow-anonymous"};
        assertUsage(open, "--inline-max-ms: must be 0..1000 (0 turns inline runs off), was 1001", "--inline-max-ms",
                "1001");
        assertUsage(open, "--inline-max-ms: must be 0..1000 (0 turns inline runs off), was -1", "--inline-max-ms", "-1");
        assertUsage(open, "--inline-max-ms", "--inline-max-ms", "5ms");
        assertEquals(20, parsed().config().inlineMaxMs(), "the library's default");
        assertEquals(0, parsed("--inline-max-ms", "0").config().inlineMaxMs());
        assertEquals(7, parsed("--inline-max-ms", "7").config().inlineMaxMs());
    }

    /** {@code serve} with these options after a minimal plaintext, anonymous command line; parsed, not run. */
    private static ServeCommand parsed(String... more) {
        ServeCommand command = new ServeCommand();
        new picocli.CommandLine(command).parseArgs(concat(new String[] {"--package", pkg.toString(),
            "--insecure-plaintext", "--allow-anonymous"}, more));
        return command;
    }

    private static void assertUsage(String[] base, String expected, String... more) {
        InspectCommandTest.Run run = InspectCommandTest.cli(concat(base, more));
        assertEquals(2, run.exitCode(), String.join(" ", more) + ": " + run.err());
        assertTrue(run.err().contains(expected), String.join(" ", more) + ": " + run.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * {@code serve --broker} in its own process against an MQTT 5 broker (HiveMQ CE, TLS, trusted
     * through {@code --broker-ca}): a device's ServerDirectory sees the server with the ports it bound,
     * a client reaches it at the announced endpoint, and SIGTERM withdraws the announcement (a
     * retained offline STATE, not the Will) well before the directory's 30 s staleness could.
     */
    @Test
    void announcesItselfToTheFleetAndWithdrawsOnSigterm() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("announce"));
        Path brokerCa = BROKER_CERT.writePem(home, "broker")[0];
        Path tokens = home.resolve("tokens.txt");
        Files.writeString(tokens, "device-1 " + TOKEN + "\n");
        String fleet = "serve-fleet";
        String uri = broker().uri();
        try (DeviceFleetAgent device = DeviceFleetAgent.builder(MqttSettings.builder(uri, fleet, "device-1")
                        .socketFactory(BROKER_CERT.clientConfig().socketFactory()).backoff(200, 2000).build(),
                        FleetKeys.generate().getPublic()).build()) {
            BlockingQueue<List<ServerInfo>> changes = new LinkedBlockingQueue<>();
            device.directory().onChange(changes::add);
            device.start();
            Path ports = home.resolve("ports.json");
            Path log = home.resolve("serve.log");
            Process p = startServe(log, "--package", pkg.toString(), "--port", "0", "--http-port", "0", "--bind",
                    "127.0.0.1", "--insecure-plaintext", "--token-file", tokens.toString(), "--port-file",
                    ports.toString(), "--json-log", "--broker", uri, "--broker-ca", brokerCa.toString(),
                    "--fleet", fleet, "--node", "edge-cli", "--announce-interval", "500");
            try {
                JsonNode ready = awaitPorts(p, ports, log);
                int nativePort = ready.get("nativePort").asInt();
                int httpPort = ready.get("httpPort").asInt();
                assertEquals("edge-cli", ready.get("node").asText());

                ServerInfo seen = awaitServer(changes, device, "edge-cli", 30, log);
                assertEquals("127.0.0.1:" + nativePort, seen.endpoint().path("native").asText(), seen.toString());
                assertEquals("http://127.0.0.1:" + httpPort, seen.endpoint().path("http").asText(), seen.toString());
                assertFalse(seen.endpoint().path("tls").asBoolean(true), seen.toString());
                assertEquals(List.of(ModelPackage.load(pkg).manifest().family()), seen.models());
                assertTrue(seen.load().has("workers") && seen.load().has("queued"), seen.load().toString());

                // the announced endpoint is where the tails are served
                String[] hostPort = seen.endpoint().path("native").asText().split(":");
                assertEquals(1, runOneTail(hostPort[0], Integer.parseInt(hostPort[1])));

                p.destroy(); // SIGTERM
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stopped");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!device.directory().servers().isEmpty() && System.nanoTime() < until) {
                    changes.poll(200, TimeUnit.MILLISECONDS);
                }
                assertTrue(device.directory().servers().isEmpty(), "the directory dropped the server within 10 s: "
                        + device.directory().servers());
                String out = Files.readString(log);
                assertTrue(out.contains("\"event\":\"broker-connected\""), out);
                assertTrue(out.contains("\"event\":\"withdrawn\""), out);
                assertTrue(out.indexOf("\"event\":\"withdrawn\"") < out.indexOf("\"event\":\"draining\""),
                        "withdrawn before draining: " + out);
            } finally {
                p.destroyForcibly();
            }

            // what a device that connects only now finds: the retained STATE says offline
            BlockingQueue<JsonNode> states = new LinkedBlockingQueue<>();
            try (FleetController late = new FleetController(MqttSettings.builder(uri, fleet, "late-1")
                    .socketFactory(BROKER_CERT.clientConfig().socketFactory()).build(), FleetKeys.generate())) {
                late.listen(FleetTopics.Type.STATE, (node, envelope) -> {
                    if (node.equals("edge-cli")) {
                        states.add(envelope);
                    }
                });
                late.start(20_000);
                JsonNode state = states.poll(20, TimeUnit.SECONDS);
                assertNotNull(state, "the retained STATE of edge-cli");
                assertFalse(state.path("body").path("online").asBoolean(true), state.toString());
                assertEquals("127.0.0.1", state.path("body").path("endpoint").path("native").asText().split(":")[0]);
            }
        }
    }

    /** A broker certificate the server was not told to trust: serve keeps serving and says why it is not announced. */
    @Test
    void aBrokerItCannotTrustIsReportedAndNothingIsAnnounced() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("untrusted"));
        Path otherCa = DevCertificates.localhost(Duration.ofDays(1)).writePem(home, "other")[0];
        Path tokens = home.resolve("tokens.txt");
        Files.writeString(tokens, "device-1 " + TOKEN + "\n");
        String uri = broker().uri();
        try (DeviceFleetAgent device = DeviceFleetAgent.builder(MqttSettings.builder(uri, "default", "device-2")
                        .socketFactory(BROKER_CERT.clientConfig().socketFactory()).build(),
                        FleetKeys.generate().getPublic()).build()) {
            device.start();
            long connectBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!device.link().isConnected() && System.nanoTime() < connectBy) {
                Thread.sleep(50);
            }
            assertTrue(device.link().isConnected(), "the device is connected, so it would see an announcement");
            Path ports = home.resolve("ports.json");
            Path log = home.resolve("serve.log");
            Process p = startServe(log, "--package", pkg.toString(), "--port", "0", "--bind", "127.0.0.1",
                    "--insecure-plaintext", "--token-file", tokens.toString(), "--port-file", ports.toString(),
                    "--json-log", "--broker", uri, "--broker-ca", otherCa.toString(), "--node", "edge-untrusted");
            try {
                JsonNode ready = awaitPorts(p, ports, log);
                assertEquals("default", ready.get("fleet").asText(), "the fleet when --fleet is not given");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.readString(log).contains("broker-unreachable") && System.nanoTime() < until && p.isAlive()) {
                    Thread.sleep(100); // polling a log another process writes
                }
                String out = Files.readString(log);
                JsonNode unreachable = null;
                for (String line : out.split("\n")) {
                    if (line.contains("\"event\":\"broker-unreachable\"")) {
                        unreachable = new ObjectMapper().readTree(line);
                    }
                }
                assertNotNull(unreachable, out);
                assertTrue(unreachable.path("reason").asText().contains("PKIX"), unreachable.toString());
                // it still serves
                assertEquals(1, runOneTail("127.0.0.1", ready.get("nativePort").asInt()));
                assertTrue(device.directory().servers().isEmpty(), device.directory().servers().toString());
                p.destroy();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stopped");
                assertTrue(Files.readString(log).contains("never reached the broker, so this server was not announced"),
                        Files.readString(log));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    private static Process startServe(Path log, String... args) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                EdgeSplitCli.class.getName(), "serve"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static JsonNode awaitPorts(Process p, Path ports, Path log) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(ports) && System.nanoTime() < until && p.isAlive()) {
            Thread.sleep(50); // polling a file another process writes; there is nothing to wait on
        }
        assertTrue(Files.exists(ports), "the server wrote its ports: " + Files.readString(log));
        return new ObjectMapper().readTree(ports.toFile());
    }

    private static ServerInfo awaitServer(BlockingQueue<List<ServerInfo>> changes, DeviceFleetAgent device, String node,
            int seconds, Path log) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < until) {
            for (ServerInfo s : device.directory().servers()) {
                if (s.node().equals(node)) {
                    return s;
                }
            }
            changes.poll(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(node + " was not announced within " + seconds + " s: " + Files.readString(log));
    }

    /** Runs one tail of the test package on the server at host:port; returns the number of outputs. */
    private static int runOneTail(String host, int port) throws Exception {
        ModelPackage loaded = ModelPackage.load(pkg);
        SplitPoint split = loaded.variants().get(0).splits().get(3);
        List<Tensor> crossing = new ArrayList<>();
        for (TensorDescriptor d : split.crossing()) {
            crossing.add(Tensor.allocate(d.spec()));
        }
        try (NativeOffloadClient client = NativeOffloadClient.create(NativeClientConfig.builder(host, port)
                .plaintext().token(TOKEN).build())) {
            OffloadResult r = client.submit(OffloadRequest.builder().segmentSha256(split.tailSegment())
                    .inputs(crossing).build(), System.nanoTime() + TimeUnit.SECONDS.toNanos(20)).get(20, TimeUnit.SECONDS);
            assertEquals(loaded.variants().get(0).outputs().get(0).spec().shapeAndType(),
                    r.outputs().get(0).spec().shapeAndType());
            return r.outputs().size();
        }
    }

    @Test
    void servesTailsToAnAuthenticatedClientAndDrainsOnSigterm() throws Exception {
        Path tokens = tmp.resolve("good-tokens.txt");
        Files.writeString(tokens, "device-1 " + TOKEN + "\n");
        Path ports = tmp.resolve("ports.json");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EdgeSplitCli.class.getName(),
                "serve", "--package", pkg.toString(), "--port", "0", "--bind", "127.0.0.1", "--insecure-plaintext",
                "--token-file", tokens.toString(), "--port-file", ports.toString(), "--json-log")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("serve.log").toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ports) && System.nanoTime() < until && p.isAlive()) {
                Thread.sleep(50); // polling a file another process writes; there is nothing to wait on
            }
            assertTrue(Files.exists(ports), "the server wrote its ports: " + Files.readString(tmp.resolve("serve.log")));
            JsonNode ready = new ObjectMapper().readTree(ports.toFile());
            int port = ready.get("nativePort").asInt();
            ModelPackage loaded = ModelPackage.load(pkg);
            SplitPoint split = loaded.variants().get(0).splits().get(3);
            List<Tensor> crossing = new ArrayList<>();
            for (TensorDescriptor d : split.crossing()) {
                crossing.add(Tensor.allocate(d.spec()));
            }
            try (NativeOffloadClient client = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port)
                    .plaintext().token(TOKEN).build())) {
                OffloadResult r = client.submit(OffloadRequest.builder().segmentSha256(split.tailSegment())
                        .inputs(crossing).build(), System.nanoTime() + TimeUnit.SECONDS.toNanos(20)).get(20, TimeUnit.SECONDS);
                assertEquals(loaded.variants().get(0).outputs().get(0).spec().shapeAndType(),
                        r.outputs().get(0).spec().shapeAndType());
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(143 == p.exitValue() || 0 == p.exitValue(), true, "exit " + p.exitValue());
            String log = Files.readString(tmp.resolve("serve.log"));
            assertTrue(log.contains("\"event\":\"stopped\""), log);
            assertTrue(log.contains("\"completed\":1"), log);
        } finally {
            p.destroyForcibly();
        }
    }
}
