package io.edgesplit.offload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads PEM certificates and PKCS#8 private keys with the platform's own providers (so it runs on
 * Android too). Keys must be unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}, what
 * {@code openssl pkcs8 -topk8 -nocrypt} writes); RSA and EC keys are recognized.
 */
public final class Pem {

    private Pem() {
    }

    /**
     * Every certificate in a PEM file, leaf first as written.
     *
     * @throws IOException naming the file when it is missing or holds no certificate
     */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate c : cf.generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IOException(file + ": no certificate found (expected PEM '-----BEGIN CERTIFICATE-----')");
            }
            return out;
        } catch (CertificateException e) {
            throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
        }
    }

    /**
     * The PKCS#8 private key in a PEM file.
     *
     * @throws IOException naming the file and the reason (missing, encrypted, not PKCS#8, unknown algorithm)
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        String pem = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII);
        if (pem.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IOException(file + ": encrypted keys are not supported; decrypt with openssl pkcs8 -nocrypt");
        }
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IOException(file + ": expected an unencrypted PKCS#8 key ('-----BEGIN PRIVATE KEY-----'); convert"
                    + " with openssl pkcs8 -topk8 -nocrypt");
        }
        String base64 = pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the key is not valid base64", e);
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": the PKCS#8 key is neither RSA, EC nor Ed25519");
    }
}
