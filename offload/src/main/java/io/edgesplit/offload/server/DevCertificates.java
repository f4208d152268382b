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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Short-lived EC P-256 certificates made in memory with BouncyCastle, for the demo, the samples and
 * tests: TLS stays on even on one machine. {@link #localhost} is a self-signed server certificate for
 * {@code localhost} and {@code 127.0.0.1}; for mutual TLS, {@link #authority} makes a certificate
 * authority that {@linkplain #issueLocalhost issues} server and {@linkplain #issueClient client}
 * certificates. Production servers load their own PEM files ({@link TlsServerConfig#fromPem}). Needs
 * {@code org.bouncycastle:bcpkix-jdk18on} on the class path (an optional dependency of this module).
 */
@ServerOnly
public final class DevCertificates {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final GeneralNames LOCALHOST = new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")});

    private final PrivateKey key;
    private final X509Certificate certificate;

    private DevCertificates(PrivateKey key, X509Certificate certificate) {
        this.key = key;
        this.certificate = certificate;
    }

    /** A new self-signed certificate for localhost, valid from a minute ago for {@code validity}. */
    public static DevCertificates localhost(Duration validity) {
        X500Name name = new X500Name("CN=localhost, O=EdgeSplit development");
        KeyPair kp = keyPair();
        return sign(new JcaX509v3CertificateBuilder(name, serial(), from(), to(validity), name, kp.getPublic()), false,
                LOCALHOST, kp, kp.getPrivate());
    }

    /**
     * A new self-signed certificate authority {@code CN=commonName}, valid from a minute ago for
     * {@code validity}, that issues certificates; clients and servers trust it through
     * {@link #certificate()} (or {@link #clientConfig()}).
     */
    public static DevCertificates authority(String commonName, Duration validity) {
        X500Name name = new X500Name("CN=" + commonName);
        KeyPair kp = keyPair();
        return sign(new JcaX509v3CertificateBuilder(name, serial(), from(), to(validity), name, kp.getPublic()), true,
                null, kp, kp.getPrivate());
    }

    /**
     * A server certificate for localhost and 127.0.0.1 ({@code CN=localhost}) issued by this authority.
     *
     * @throws IllegalStateException when this is not a certificate authority
     */
    public DevCertificates issueLocalhost(Duration validity) {
        return issue("localhost", LOCALHOST, validity);
    }

    /**
     * A client certificate {@code CN=commonName} issued by this authority, for mutual TLS.
     *
     * @throws IllegalStateException when this is not a certificate authority
     */
    public DevCertificates issueClient(String commonName, Duration validity) {
        return issue(commonName, null, validity);
    }

    private DevCertificates issue(String commonName, GeneralNames subjectAlternativeNames, Duration validity) {
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalStateException(certificate.getSubjectX500Principal().getName()
                    + " is not a certificate authority and cannot issue certificates");
        }
        KeyPair kp = keyPair();
        return sign(new JcaX509v3CertificateBuilder(certificate, serial(), from(), to(validity),
                new X500Name("CN=" + commonName), kp.getPublic()), false, subjectAlternativeNames, kp, key);
    }

    private static DevCertificates sign(JcaX509v3CertificateBuilder b, boolean authority,
            GeneralNames subjectAlternativeNames, KeyPair subject, PrivateKey issuerKey) {
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (subjectAlternativeNames != null) {
                b.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames);
            }
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
            return new DevCertificates(subject.getPrivate(), cert);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot make a development certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a development key: " + e.getMessage(), e);
        }
    }

    /** A random positive 64-bit serial number. */
    private static BigInteger serial() {
        return new BigInteger(63, RANDOM).add(BigInteger.ONE);
    }

    private static Date from() {
        return new Date(System.currentTimeMillis() - 60_000);
    }

    private static Date to(Duration validity) {
        return new Date(System.currentTimeMillis() + validity.toMillis());
    }

    /** This certificate's private key. */
    public PrivateKey privateKey() {
        return key;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** This certificate alone: the chain a server or client presents (its authority is not sent). */
    public List<X509Certificate> chain() {
        return List.of(certificate);
    }

    /** The server side: this key and certificate. */
    public TlsServerConfig serverConfig() {
        return TlsServerConfig.of(key, List.of(certificate));
    }

    /**
     * The client side: trusts exactly this certificate (for an authority, every certificate it
     * issued), with hostname verification on.
     */
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
