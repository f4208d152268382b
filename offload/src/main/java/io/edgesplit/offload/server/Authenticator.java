package io.edgesplit.offload.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Decides who a connection (native HELLO) or an HTTP request (bearer token) belongs to. Returns the
 * client id used for rate limiting and logs, or null to refuse; a refused client learns only that it
 * was refused. Implementations are thread-safe.
 */
@FunctionalInterface
@ServerOnly
public interface Authenticator {

    /**
     * @param token the bearer token bytes (empty when none was sent)
     * @param peerChain the client certificate chain TLS verified against the server's client trust
     *     store, leaf first; empty without mutual TLS
     * @return the client id, or null when the client is not allowed in
     */
    String authenticate(byte[] token, List<X509Certificate> peerChain);

    /**
     * Accepts these bearer tokens, each mapped to its client id. Tokens are compared by SHA-256 in
     * constant time and never kept in clear.
     */
    static Authenticator tokens(Map<String, String> tokenToClientId) {
        Map<String, String> byDigest = new HashMap<>();
        for (Map.Entry<String, String> e : tokenToClientId.entrySet()) {
            if (e.getKey().length() < 16) {
                throw new IllegalArgumentException("tokens: a token must be at least 16 characters, client '"
                        + e.getValue() + "' has " + e.getKey().length());
            }
            byDigest.put(TokenDigest.hex(e.getKey().getBytes(StandardCharsets.UTF_8)), e.getValue());
        }
        Map<String, String> digests = Map.copyOf(byDigest);
        return (token, peers) -> {
            if (token.length == 0) {
                return null;
            }
            String digest = TokenDigest.hex(token);
            String match = null;
            for (Map.Entry<String, String> e : digests.entrySet()) {
                if (MessageDigest.isEqual(e.getKey().getBytes(StandardCharsets.US_ASCII),
                        digest.getBytes(StandardCharsets.US_ASCII))) {
                    match = e.getValue();
                }
            }
            return match;
        };
    }

    /**
     * Accepts any client whose certificate TLS verified (mutual TLS, with the server's client trust
     * store deciding who may connect); the client id is the certificate subject's CN.
     */
    static Authenticator clientCertificates() {
        return (token, peers) -> peers.isEmpty() ? null : commonName(peers.get(0).getSubjectX500Principal());
    }

    /** The first of these that accepts the client decides. */
    static Authenticator anyOf(Authenticator... authenticators) {
        List<Authenticator> all = List.of(authenticators);
        return (token, peers) -> {
            for (Authenticator a : all) {
                String id = a.authenticate(token, peers);
                if (id != null) {
                    return id;
                }
            }
            return null;
        };
    }

    /** Lets everyone in as {@code "anonymous"}: tests and closed networks only, asked for explicitly. */
    static Authenticator allowAnonymous() {
        return (token, peers) -> "anonymous";
    }

    private static String commonName(X500Principal principal) {
        String dn = principal.getName(X500Principal.RFC2253);
        for (String part : dn.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return dn;
    }

    /** SHA-256 hex of a token. */
    @ServerOnly
    final class TokenDigest {
        private TokenDigest() {
        }

        static String hex(byte[] token) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(token);
                StringBuilder sb = new StringBuilder(64);
                for (byte b : d) {
                    sb.append(Character.forDigit((b >>> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
                }
                return sb.toString();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
