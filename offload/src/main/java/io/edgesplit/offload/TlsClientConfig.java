package io.edgesplit.offload;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * How a client checks the server (trusted certificates, host name verification) and, for mutual TLS,
 * which certificate it presents. Used by both the native client and the OIP v2 client. Immutable and
 * thread-safe. Only TLS 1.2 and 1.3 are offered.
 */
public final class TlsClientConfig {

    private final SSLContext context;
    private final X509TrustManager trustManager;
    private final boolean verifyHostname;

    private TlsClientConfig(SSLContext context, X509TrustManager trustManager, boolean verifyHostname) {
        this.context = context;
        this.trustManager = trustManager;
        this.verifyHostname = verifyHostname;
    }

    /** Trusts the platform's default certificate authorities (public cloud endpoints). */
    public static TlsClientConfig systemDefault() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    public SSLContext sslContext() {
        return context;
    }

    /** The trust manager the context uses (OkHttp wants it alongside the socket factory). */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** Whether the server certificate must name the host connected to. Default true. */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** Builder for {@link TlsClientConfig}. */
    public static final class Builder {
        private List<X509Certificate> trusted;
        private PrivateKey clientKey;
        private List<X509Certificate> clientChain;
        private boolean verifyHostname = true;

        private Builder() {
        }

        /** Trust only these certificates (a private CA, or the server's self-signed certificate). */
        public Builder trust(List<X509Certificate> certificates) {
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("trust: at least one certificate");
            }
            this.trusted = io.edgesplit.common.Lists.copyOf(certificates);
            return this;
        }

        /** Trust the certificates of a PEM file. */
        public Builder trustPem(Path pem) throws IOException {
            return trust(Pem.readCertificates(pem));
        }

        /** Present this certificate chain and key to servers that require client certificates. */
        public Builder clientCertificate(PrivateKey key, List<X509Certificate> chain) {
            this.clientKey = Objects.requireNonNull(key, "key");
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("chain: at least the client certificate");
            }
            this.clientChain = io.edgesplit.common.Lists.copyOf(chain);
            return this;
        }

        /** Client certificate chain and PKCS#8 key from PEM files. */
        public Builder clientCertificatePem(Path certificateChain, Path privateKey) throws IOException {
            return clientCertificate(Pem.readPrivateKey(privateKey), Pem.readCertificates(certificateChain));
        }

        /**
         * Check that the server certificate names the host. Default true; turn off only for servers
         * addressed by an IP their certificate does not list.
         */
        public Builder verifyHostname(boolean verify) {
            this.verifyHostname = verify;
            return this;
        }

        public TlsClientConfig build() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                if (trusted == null) {
                    tmf.init((KeyStore) null);
                } else {
                    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                    ks.load(null, null);
                    for (int i = 0; i < trusted.size(); i++) {
                        ks.setCertificateEntry("trusted-" + i, trusted.get(i));
                    }
                    tmf.init(ks);
                }
                X509TrustManager tm = null;
                for (TrustManager m : tmf.getTrustManagers()) {
                    if (m instanceof X509TrustManager) {
                        tm = (X509TrustManager) m;
                    }
                }
                KeyManagerFactory kmf = null;
                if (clientKey != null) {
                    char[] password = new char[0];
                    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                    ks.load(null, null);
                    ks.setKeyEntry("client", clientKey, password, clientChain.toArray(new X509Certificate[0]));
                    kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    kmf.init(ks, password);
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf == null ? null : kmf.getKeyManagers(), new TrustManager[] {tm}, new SecureRandom());
                return new TlsClientConfig(ctx, tm, verifyHostname);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("tls: cannot build a TLS context: " + e.getMessage(), e);
            }
        }
    }
}
