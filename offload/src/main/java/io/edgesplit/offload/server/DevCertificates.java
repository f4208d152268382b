package io.edgesplit.offload.server;

import io.edgesplit.offload.TlsClientConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A short-lived self-signed EC P-256 certificate for {@code localhost} and {@code 127.0.0.1}, made in
 * memory with BouncyCastle, for the demo, the samples and tests: TLS stays on even on one machine.
 * Production servers load their own PEM files ({@link TlsServerConfig#fromPem}). Needs
 * {@code org.bouncycastle:bcpkix-jdk18on} on the class path (an optional dependency of this module).
 */
@ServerOnly
public final class DevCertificates {

    private final PrivateKey key;
    private final X509Certificate certificate;

    private DevCertificates(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new self-signed certificate for localhost, valid from a minute ago for {@code validity}. */
    public static DevCertificates localhost(Duration validity) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256, new SecureRandom());
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=localhost, O=EdgeSplit development");
            long now = System.currentTimeMillis();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), new Date(now - 60_000), new Date(now + validity.toMillis()),
                    name, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
            return new DevCertificates(kp.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a development certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The server side: this key and certificate. */
    public TlsServerConfig serverConfig() {
        return TlsServerConfig.of(key, List.of(certificate));
    }

    /** The client side: trusts exactly this certificate, with hostname verification on. */
    public TlsClientConfig clientConfig() {
        return TlsClientConfig.builder().trust(List.of(certificate)).build();
    }

    /** Writes {@code name.crt} and {@code name.key} (PKCS#8) PEM files; returns {crt, key}. */
    public Path[] writePem(Path dir, String name) throws IOException {
        Path crt = dir.resolve(name + ".crt");
        Path keyFile = dir.resolve(name + ".key");
        try {
            Files.writeString(crt, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
        } catch (CertificateEncodingException e) {
            throw new IOException("cannot encode the development certificate", e);
        }
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
        return new Path[] {crt, keyFile};
    }

    /**
     * Writes the key and certificate as a PKCS#12 key store (alias {@code edgesplit}), for servers
     * that take a key store rather than PEM files (e.g. an MQTT broker's TLS listener).
     */
    public void writePkcs12(Path file, char[] password) throws IOException {
        try {
            java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("edgesplit", key, password, new java.security.cert.Certificate[] {certificate});
            try (java.io.OutputStream out = Files.newOutputStream(file)) {
                ks.store(out, password);
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot write the development key store: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
