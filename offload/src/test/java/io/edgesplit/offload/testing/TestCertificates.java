package io.edgesplit.offload.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Self-signed certificate authorities and the certificates they issue, generated per test run with
 * BouncyCastle (EC P-256): a server certificate for localhost/127.0.0.1 and client certificates.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A key and its certificate. */
    public static final class Issued {
        public final PrivateKey key;
        public final X509Certificate certificate;

        Issued(PrivateKey key, X509Certificate certificate) {
            this.key = key;
            this.certificate = certificate;
        }

        public List<X509Certificate> chain() {
            return List.of(certificate);
        }

        /** Writes {@code name.crt} and {@code name.key} (PKCS#8) PEM files into {@code dir}. */
        public Path[] writePem(Path dir, String name) throws IOException {
            Path crt = dir.resolve(name + ".crt");
            Path key = dir.resolve(name + ".key");
            try {
                Files.writeString(crt, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IOException(e);
            }
            Files.writeString(key, pem("PRIVATE KEY", this.key.getEncoded()), StandardCharsets.US_ASCII);
            return new Path[] {crt, key};
        }
    }

    private final Issued ca;

    private TestCertificates(Issued ca) {
        this.ca = ca;
    }

    /** A new certificate authority. */
    public static TestCertificates newAuthority(String name) {
        KeyPair kp = keyPair();
        X500Name subject = new X500Name("CN=" + name);
        try {
            X509v3CertificateBuilder b = builder(subject, subject, kp);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new TestCertificates(new Issued(kp.getPrivate(), sign(b, kp.getPrivate())));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Issued authority() {
        return ca;
    }

    /** A server certificate for localhost and 127.0.0.1. */
    public Issued server() {
        return issue("localhost", new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    }

    /** A client certificate with this common name. */
    public Issued client(String commonName) {
        return issue(commonName, null);
    }

    private Issued issue(String commonName, GeneralNames san) {
        KeyPair kp = keyPair();
        try {
            X509v3CertificateBuilder b = builder(new X500Name(ca.certificate.getSubjectX500Principal().getName()),
                    new X500Name("CN=" + commonName), kp);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            return new Issued(kp.getPrivate(), sign(b, ca.key));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair kp) {
        Date from = new Date(System.currentTimeMillis() - 60_000);
        Date to = new Date(System.currentTimeMillis() + 86_400_000L);
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), from, to, subject,
                kp.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
