package io.edgesplit.runtime.fleet;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The fleet signing key: ECDSA on P-256 with SHA-256, available on every JDK and on every Android
 * version, so devices can verify configurations without extra providers. Keys travel as Base64 of
 * their standard encodings (X.509 for public, PKCS#8 for private).
 */
public final class FleetKeys {

    static final String ALGORITHM = "SHA256withECDSA";

    private FleetKeys() {
    }

    /** A new fleet key pair. Keep the private key with the fleet controller only. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 is required of every Java platform", e);
        }
    }

    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encode(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * @throws IllegalArgumentException when the text is not a Base64 X.509 EC public key
     */
    public static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("fleet public key: not a Base64 X.509 EC public key", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the text is not a Base64 PKCS#8 EC private key
     */
    public static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.trim())));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("fleet private key: not a Base64 PKCS#8 EC private key", e);
        }
    }

    /** A short id of a public key (first 16 hex digits of its SHA-256), to name keys in messages. */
    public static String keyId(PublicKey key) {
        return io.edgesplit.common.Sha256.of(key.getEncoded()).substring(0, 16);
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    static boolean verify(PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // a malformed signature is a wrong signature
        }
    }
}
