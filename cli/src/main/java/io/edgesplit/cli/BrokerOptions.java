package io.edgesplit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.offload.TlsClientConfig;
import io.edgesplit.runtime.fleet.MqttSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code serve} joins the MQTT fleet: the broker, the broker's TLS trust and the server's
 * credentials for it, the fleet and node ids, and what devices are told to connect to. Secure by
 * default like {@link MqttSettings}: {@code ssl://} with the JVM's trusted authorities unless
 * {@code --broker-ca} names others; {@code tcp://} only to a loopback broker or with
 * {@code --broker-insecure-plaintext}.
 */
final class BrokerOptions {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--broker", paramLabel = "URL",
            description = "MQTT 5 broker to announce this server on, e.g. ssl://broker.example:8883, so that devices "
                    + "running EdgeRuntime with discovery find it (endpoint, packages, load); a clean stop withdraws the "
                    + "announcement, a crash is reported by its Will. tcp:// only to a loopback broker or with "
                    + "--broker-insecure-plaintext. Without --broker nothing is announced.")
    String url;

    @Option(names = "--fleet", paramLabel = "ID", defaultValue = "default",
            description = "Fleet id, the same as the devices' (default ${DEFAULT-VALUE}).")
    String fleet;

    @Option(names = "--node", paramLabel = "ID",
            description = "This server's node id in the fleet, also its MQTT client id (default: this machine's host name).")
    String node;

    @Option(names = "--announce-host", paramLabel = "HOST",
            description = "Host devices connect to, as announced (default: --bind unless it is a wildcard address, "
                    + "else this machine's host name). With TLS, a name the server certificate lists.")
    String announceHost;

    @Option(names = "--announce-interval", paramLabel = "MS", defaultValue = "2000",
            description = "How often the announcement and its load are refreshed (default ${DEFAULT-VALUE} ms, at least 100).")
    long announceIntervalMs;

    @Option(names = "--broker-ca", paramLabel = "FILE",
            description = "Trust only these CAs (PEM) for the broker's certificate (default: the JVM's trusted authorities).")
    Path ca;

    @Option(names = "--broker-cert", paramLabel = "FILE",
            description = "Client certificate chain (PEM) for brokers that require mutual TLS; with --broker-key.")
    Path cert;

    @Option(names = "--broker-key", paramLabel = "FILE",
            description = "Its private key, PEM (unencrypted PKCS#8).")
    Path key;

    @Option(names = "--broker-user", paramLabel = "NAME",
            description = "MQTT username; with --broker-password-file.")
    String user;

    @Option(names = "--broker-password-file", paramLabel = "FILE",
            description = "File whose first line is the MQTT password (or token); kept off the command line.")
    Path passwordFile;

    @Option(names = "--broker-insecure-plaintext",
            description = "Allow a tcp:// broker that is not on this machine (closed networks and tests only).")
    boolean plaintext;

    boolean enabled() {
        return url != null;
    }

    /**
     * Checks the options and builds the MQTT settings. Errors name the option and the reason.
     *
     * @throws ParameterException for options that do not fit together or values out of range
     * @throws CliException when a file (CA, certificate, key, password) cannot be used
     */
    MqttSettings settings(CommandSpec spec) {
        if (url == null) {
            List<String> given = new ArrayList<>();
            for (String name : List.of("--fleet", "--node", "--announce-host", "--announce-interval", "--broker-ca",
                    "--broker-cert", "--broker-key", "--broker-user", "--broker-password-file",
                    "--broker-insecure-plaintext")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    given.add(name);
                }
            }
            if (!given.isEmpty()) {
                throw usage(spec, String.join(", ", given) + ": only used with --broker URL, which was not given");
            }
            return null;
        }
        String scheme = scheme(spec);
        if (announceIntervalMs < 100) {
            throw usage(spec, "--announce-interval: must be at least 100 ms, was " + announceIntervalMs);
        }
        if ((cert == null) != (key == null)) {
            throw usage(spec, cert == null ? "--broker-key needs --broker-cert" : "--broker-cert needs --broker-key");
        }
        if ((user == null) != (passwordFile == null)) {
            throw usage(spec, user == null ? "--broker-password-file needs --broker-user"
                    : "--broker-user needs --broker-password-file");
        }
        boolean tls = scheme.equals("ssl");
        if (!tls && (ca != null || cert != null)) {
            throw usage(spec, (ca != null ? "--broker-ca" : "--broker-cert") + ": the broker URL " + url
                    + " is plaintext; TLS options need ssl://");
        }
        if (tls && plaintext) {
            throw usage(spec, "--broker-insecure-plaintext cannot be combined with an ssl:// broker URL");
        }
        String nodeId = node != null ? node : hostName("--node");
        MqttSettings.Builder b;
        try {
            b = MqttSettings.builder(url, fleet, nodeId);
        } catch (IllegalArgumentException e) {
            throw usage(spec, renameFields(e.getMessage(), node == null));
        }
        b.allowPlaintext(plaintext);
        if (tls) {
            b.socketFactory(tlsConfig().socketFactory());
        }
        if (user != null) {
            b.credentials(user, readPassword());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw usage(spec, renameFields(e.getMessage(), node == null));
        }
    }

    /** {@code ssl} or {@code tcp}, or a usage error naming {@code --broker}. */
    private String scheme(CommandSpec spec) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw usage(spec, "--broker: '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ssl") && !scheme.equals("tcp") || uri.getHost() == null || uri.getPort() < 1) {
            throw usage(spec, "--broker: '" + url + "' must be ssl://host:port (or tcp://host:port)");
        }
        return scheme;
    }

    private TlsClientConfig tlsConfig() {
        TlsClientConfig.Builder tls = TlsClientConfig.builder();
        try {
            if (ca != null) {
                tls.trustPem(ca);
            }
        } catch (IOException e) {
            throw new CliException("--broker-ca: " + e.getMessage(), e);
        }
        try {
            if (cert != null) {
                tls.clientCertificatePem(cert, key);
            }
        } catch (IOException e) {
            throw new CliException("--broker-cert/--broker-key: " + e.getMessage(), e);
        }
        return tls.build();
    }

    private char[] readPassword() {
        List<String> lines;
        try {
            lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("--broker-password-file: cannot read " + passwordFile + ": " + e, e);
        }
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw new CliException("--broker-password-file: " + passwordFile + ": the first line (the password) is empty");
        }
        return lines.get(0).toCharArray();
    }

    /**
     * What devices are told: {@code {"native": "host:port", "tls": bool, "http": "https://host:port"}}
     * ({@code http} only when the OIP v2 face is on).
     */
    ObjectNode endpoint(String bind, int nativePort, int httpPort, boolean tls) {
        String host = announceHost != null ? announceHost : isWildcard(bind) ? hostName("--announce-host") : bind;
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        ObjectNode endpoint = JSON.createObjectNode();
        endpoint.put("native", hostPart + ":" + nativePort);
        endpoint.put("tls", tls);
        if (httpPort > 0) {
            endpoint.put("http", (tls ? "https://" : "http://") + hostPart + ":" + httpPort);
        }
        return endpoint;
    }

    private static boolean isWildcard(String bind) {
        return bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]") || bind.equals("0:0:0:0:0:0:0:0");
    }

    private static String hostName(String option) {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new CliException("cannot tell this machine's host name (" + e.getMessage() + "): give " + option, e);
        }
    }

    /** MqttSettings names its parameters; the user knows the options. */
    private static String renameFields(String message, boolean defaultNode) {
        return message.replaceFirst("^serverUri:", "--broker:").replaceFirst("^fleet:", "--fleet:")
                .replaceFirst("^nodeId:", defaultNode ? "--node (default: the host name):" : "--node:");
    }

    private static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
