package io.edgesplit.runtime.testing;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real MQTT 5 broker for tests: HiveMQ Community Edition embedded, on a free loopback port, with
 * its own configuration and data folders. {@link #restart()} stops it and starts a fresh instance on
 * the same port and data (an embedded instance cannot be started twice).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final Path home;
    private final int port;
    private EmbeddedHiveMQ broker;

    private EmbeddedBroker(Path home, int port) {
        this.home = home;
        this.port = port;
    }

    public static EmbeddedBroker start() {
        try {
            Path home = Files.createTempDirectory("edgesplit-broker");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tcp-listener><port>" + port
                    + "</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>"
                    + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>");
            Files.writeString(conf.resolve("logback.xml"), "<configuration><appender name=\"C\" "
                    + "class=\"ch.qos.logback.core.ConsoleAppender\"><encoder><pattern>broker %-5level %msg%n</pattern>"
                    + "</encoder></appender><root level=\"WARN\"><appender-ref ref=\"C\"/></root></configuration>");
            EmbeddedBroker b = new EmbeddedBroker(home, port);
            b.startInstance();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startInstance() {
        broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .build();
        broker.start().join();
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker (clients see the connection drop). */
    public void stop() {
        if (broker != null) {
            try {
                broker.stop().join();
                broker.close();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the broker failed", e);
            }
            broker = null;
        }
    }

    /** Starts again after {@link #stop()}: a new instance on the same port and data folder. */
    public void startAgain() {
        if (broker == null) {
            startInstance();
        }
    }

    public void restart() {
        stop();
        startAgain();
    }

    @Override
    public void close() {
        stop();
    }
}
