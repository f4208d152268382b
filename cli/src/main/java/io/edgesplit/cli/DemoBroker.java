package io.edgesplit.cli;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.edgesplit.offload.server.DevCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo's MQTT 5 broker: HiveMQ Community Edition embedded in this process, with one TLS listener
 * on a free loopback port (the development certificate), its own configuration and data folders
 * under the demo's work directory; the broker's log stays quiet unless something goes wrong, and
 * EdgeSplit's own log goes to a file.
 */
final class DemoBroker implements AutoCloseable {

    private final EmbeddedHiveMQ broker;
    private final int port;

    private DemoBroker(EmbeddedHiveMQ broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    static DemoBroker start(Path home, DevCertificates certificates, Path logFile) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Path data = Files.createDirectories(home.resolve("data"));
        Path extensions = Files.createDirectories(home.resolve("extensions"));
        char[] password = Long.toHexString(Double.doubleToLongBits(Math.random())).toCharArray();
        Path keystore = conf.resolve("broker.p12");
        certificates.writePkcs12(keystore, password);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String pw = new String(password);
        Files.writeString(conf.resolve("config.xml"), "<hivemq><listeners><tls-tcp-listener>"
                + "<port>" + port + "</port><bind-address>127.0.0.1</bind-address>"
                + "<tls><keystore><path>" + keystore.toAbsolutePath() + "</path><password>" + pw + "</password>"
                + "<private-key-password>" + pw + "</private-key-password></keystore></tls>"
                + "</tls-tcp-listener></listeners>"
                + "<anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics></hivemq>",
                StandardCharsets.UTF_8);
        // HiveMQ (re)configures logback for the whole process from this file: the broker's errors go
        // to the console, EdgeSplit's own log (server, runtime, fleet) to the demo's log file.
        Files.writeString(conf.resolve("logback.xml"), "<configuration>"
                + "<statusListener class=\"ch.qos.logback.core.status.NopStatusListener\"/>"
                + "<appender name=\"C\" class=\"ch.qos.logback.core.ConsoleAppender\"><target>System.err</target>"
                + "<encoder><pattern>broker %-5level %msg%n</pattern></encoder></appender>"
                + "<appender name=\"F\" class=\"ch.qos.logback.core.FileAppender\"><file>" + logFile.toAbsolutePath()
                + "</file><append>false</append><encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n"
                + "</pattern></encoder></appender>"
                + "<logger name=\"io.edgesplit\" level=\"INFO\" additivity=\"false\"><appender-ref ref=\"F\"/></logger>"
                + "<root level=\"ERROR\"><appender-ref ref=\"C\"/></root></configuration>", StandardCharsets.UTF_8);
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(data)
                .withExtensionsFolder(extensions).build();
        try {
            broker.start().join();
        } catch (RuntimeException e) {
            closeQuietly(broker);
            throw new IOException("the embedded MQTT broker did not start: " + e.getMessage(), e);
        }
        return new DemoBroker(broker, port);
    }

    String uri() {
        return "ssl://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            broker.stop().join();
        } finally {
            closeQuietly(broker);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ broker) {
        try {
            broker.close();
        } catch (Exception e) {
            System.err.println("edgesplit demo: closing the MQTT broker: " + e);
        }
    }
}
