package io.edgesplit.samples;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An MQTT 5 broker inside this process (HiveMQ Community Edition, embedded) on a loopback port,
 * for trying the samples on one machine without installing a broker. It keeps nothing between
 * runs: its data folder is temporary. Plaintext on 127.0.0.1 only; use a real broker with TLS
 * ({@code ssl://}) anywhere else.
 */
final class EmbeddedBroker implements AutoCloseable {

    private final Path home;
    private final int port;
    private final EmbeddedHiveMQ hivemq;

    private EmbeddedBroker(Path home, int port, EmbeddedHiveMQ hivemq) {
        this.home = home;
        this.port = port;
        this.hivemq = hivemq;
    }

    /** Starts a broker on {@code 127.0.0.1:port} (0 picks a free port). */
    static EmbeddedBroker start(int port) throws IOException {
        int bound = port == 0 ? freePort() : checkFree(port);
        Path home = Files.createTempDirectory("edgesplit-broker");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tcp-listener><port>" + bound
                + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
                + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>");
        // HiveMQ configures logging from its own folder: keep it to warnings, like the samples
        Files.writeString(conf.resolve("logback.xml"), "<configuration><appender name=\"E\" "
                + "class=\"ch.qos.logback.core.ConsoleAppender\"><target>System.err</target><encoder>"
                + "<pattern>%-5level %logger{0}: %msg%n</pattern></encoder></appender>"
                + "<root level=\"WARN\"><appender-ref ref=\"E\"/></root></configuration>");
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions"))).build();
        try {
            hivemq.start().join();
        } catch (RuntimeException e) {
            try {
                hivemq.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            delete(home);
            throw new IOException("the embedded MQTT broker did not start on port " + bound + ": " + e.getMessage(), e);
        }
        return new EmbeddedBroker(home, bound, hivemq);
    }

    /** The URL clients connect to. */
    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int checkFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (BindException e) {
            throw new IOException("port " + port + " is in use (another MQTT broker?): pass --broker tcp://127.0.0.1:"
                    + port + " to use it, or --broker-port 0 for a free port", e);
        }
    }

    @Override
    public void close() {
        try {
            hivemq.stop().join();
            hivemq.close();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the embedded broker failed", e);
        } finally {
            delete(home);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is not worth failing the shutdown for
        }
    }
}
