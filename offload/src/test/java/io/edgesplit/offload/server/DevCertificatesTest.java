package io.edgesplit.offload.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SignatureException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the certificates say about themselves; TLS with them is in SecurityTest and OipServerTest. */
class DevCertificatesTest {

    private static final Duration DAY = Duration.ofDays(1);

    private static Set<String> subjectAlternativeNames(X509Certificate c) throws Exception {
        Set<String> names = new TreeSet<>();
        if (c.getSubjectAlternativeNames() != null) {
            for (List<?> n : c.getSubjectAlternativeNames()) {
                names.add(n.get(1).toString());
            }
        }
        return names;
    }

    @Test
    void localhostIsASelfSignedLeafForLocalhostValidForTheGivenTime() throws Exception {
        X509Certificate c = DevCertificates.localhost(Duration.ofHours(2)).certificate();
        c.verify(c.getPublicKey());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertEquals(-1, c.getBasicConstraints(), "not a CA");
        assertEquals(Set.of("127.0.0.1", "localhost"), subjectAlternativeNames(c));
        assertEquals("EC", c.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", c.getSigAlgName());
        long now = System.currentTimeMillis();
        assertTrue(c.getNotBefore().before(new Date(now)));
        long hours = (c.getNotAfter().getTime() - now) / 3_600_000;
        assertTrue(hours >= 1 && hours <= 2, c.getNotAfter().toString());
    }

    @Test
    void anAuthorityIssuesServerAndClientCertificatesSignedWithItsKey() throws Exception {
        DevCertificates ca = DevCertificates.authority("Test CA", DAY);
        X509Certificate caCert = ca.certificate();
        caCert.verify(caCert.getPublicKey());
        assertTrue(caCert.getBasicConstraints() >= 0, "a CA");
        assertTrue(caCert.getKeyUsage()[5], "keyCertSign");
        assertEquals("CN=Test CA", caCert.getSubjectX500Principal().getName());

        DevCertificates server = ca.issueLocalhost(DAY);
        DevCertificates client = ca.issueClient("device-7", DAY);
        for (DevCertificates issued : List.of(server, client)) {
            X509Certificate c = issued.certificate();
            c.verify(caCert.getPublicKey());
            assertEquals(caCert.getSubjectX500Principal(), c.getIssuerX500Principal());
            assertEquals(-1, c.getBasicConstraints(), "a leaf");
            assertEquals(List.of(c), issued.chain());
            assertThrows(SignatureException.class, () -> c.verify(c.getPublicKey()), "not self-signed");
        }
        assertEquals("CN=localhost", server.certificate().getSubjectX500Principal().getName());
        assertEquals(Set.of("127.0.0.1", "localhost"), subjectAlternativeNames(server.certificate()));
        assertEquals("CN=device-7", client.certificate().getSubjectX500Principal().getName());
        assertNull(client.certificate().getSubjectAlternativeNames());
        assertNotEquals(server.certificate().getSerialNumber(), client.certificate().getSerialNumber());
        assertNotEquals(server.privateKey(), client.privateKey());
    }

    @Test
    void onlyAnAuthorityIssues() {
        DevCertificates leaf = DevCertificates.localhost(DAY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaf.issueClient("x", DAY));
        assertTrue(e.getMessage().contains("not a certificate authority"), e.getMessage());
        DevCertificates issued = DevCertificates.authority("CA", DAY).issueClient("device", DAY);
        assertThrows(IllegalStateException.class, () -> issued.issueLocalhost(DAY));
    }

    @Test
    void pemAndPkcs12HoldTheCertificateAndItsKey(@TempDir Path tmp) throws Exception {
        DevCertificates c = DevCertificates.authority("PEM CA", DAY).issueLocalhost(DAY);
        Path[] pem = c.writePem(tmp, "edge");
        assertEquals(List.of(tmp.resolve("edge.crt"), tmp.resolve("edge.key")), List.of(pem));
        try (InputStream in = Files.newInputStream(pem[0])) {
            assertEquals(c.certificate(), CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        String key = Files.readString(pem[1], StandardCharsets.US_ASCII);
        assertTrue(key.startsWith("-----BEGIN PRIVATE KEY-----\n") && key.endsWith("-----END PRIVATE KEY-----\n"), key);
        TlsServerConfig.fromPem(pem[0], pem[1]); // what `edgesplit serve` reads

        char[] password = "changeit".toCharArray();
        c.writePkcs12(tmp.resolve("edge.p12"), password);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tmp.resolve("edge.p12"))) {
            ks.load(in, password);
        }
        assertEquals(c.certificate(), ks.getCertificate("edgesplit"));
        assertEquals(c.privateKey(), ks.getKey("edgesplit", password));
    }
}
