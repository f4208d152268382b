package io.edgesplit.offload.server;

import io.edgesplit.offload.Pem;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The server's TLS identity (certificate chain and key) and, for mutual TLS, the certificates client
 * certificates must chain to. Used by both faces (native protocol and HTTP). Immutable.
 */
@ServerOnly
public final class TlsServerConfig {

    private final PrivateKey key;
    private final List<X509Certificate> chain;
    private final List<X509Certificate> clientTrust;
    private final boolean requireClientCertificate;

    private TlsServerConfig(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> clientTrust,
            boolean requireClientCertificate) {
        this.key = key;
        this.chain = chain;
        this.clientTrust = clientTrust;
        this.requireClientCertificate = requireClientCertificate;
    }

    /** Serve with this key and certificate chain (leaf first); no client certificates asked for. */
    public static TlsServerConfig of(PrivateKey key, List<X509Certificate> chain) {
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: at least the server certificate");
        }
        return new TlsServerConfig(key, List.copyOf(chain), List.of(), false);
    }

    /** Key and chain from PEM files (PKCS#8 key). */
    public static TlsServerConfig fromPem(Path certificateChain, Path privateKey) throws IOException {
        return of(Pem.readPrivateKey(privateKey), Pem.readCertificates(certificateChain));
    }

    /**
     * Mutual TLS: clients must present a certificate chaining to one of {@code trusted}; without one
     * the handshake fails.
     */
    public TlsServerConfig requireClientCertificates(List<X509Certificate> trusted) {
        if (trusted.isEmpty()) {
            throw new IllegalArgumentException("trusted: at least one certificate authority");
        }
        return new TlsServerConfig(key, chain, List.copyOf(trusted), true);
    }

    /** Like {@link #requireClientCertificates(List)}, from a PEM file. */
    public TlsServerConfig requireClientCertificates(Path trustedPem) throws IOException {
        return requireClientCertificates(Pem.readCertificates(trustedPem));
    }

    public boolean requiresClientCertificate() {
        return requireClientCertificate;
    }

    SslContext nettyContext() throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                .sslProvider(SslProvider.JDK).protocols("TLSv1.3", "TLSv1.2");
        if (requireClientCertificate) {
            b.trustManager(clientTrust.toArray(new X509Certificate[0])).clientAuth(ClientAuth.REQUIRE);
        }
        return b.build();
    }
}
