package io.edgesplit.samples;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.runtime.fleet.FleetKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The directory the three samples share on one machine, so they can find each other's secrets:
 *
 * <pre>
 * edge.crt, edge.key     the edge server's self-signed TLS certificate (devices trust edge.crt)
 * edge.token             the bearer token devices present to the edge server
 * fleet.keys             the fleet signing key pair (ECDSA P-256); devices need only its public half
 * synthetic-package/     the built-in synthetic model family, generated on first use
 * </pre>
 *
 * In a real deployment each file travels its own way: the certificate and token with the app's
 * configuration, the fleet public key baked into the app, the private key only on the controller.
 */
final class SampleState {

    private final Path dir;

    SampleState(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir.toAbsolutePath().normalize());
    }

    Path dir() {
        return dir;
    }

    Path edgeCertificate() {
        return dir.resolve("edge.crt");
    }

    /** The token devices present to the edge server; made on first use. */
    String edgeToken() throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return readOrCreate("edge.token", Base64.getUrlEncoder().withoutPadding().encodeToString(random));
    }

    /** The edge server's token, as a device reads it (the edge server sample makes it). */
    String readEdgeToken() throws IOException {
        Path file = dir.resolve("edge.token");
        if (!Files.exists(file)) {
            throw new IOException(file + ": no edge server token; is the edge server sample using the same --state?");
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /**
     * The fleet signing key pair, made on first use by whichever sample needs it first. One file holds
     * both halves (public on the first line, private on the second) so it is created atomically.
     */
    KeyPair fleetKeys() throws IOException {
        KeyPair fresh = FleetKeys.generate();
        String[] lines = readOrCreate("fleet.keys", FleetKeys.encode(fresh.getPublic()) + "\n"
                + FleetKeys.encode(fresh.getPrivate())).split("\n");
        if (lines.length != 2) {
            throw new IOException(dir.resolve("fleet.keys") + ": expected 2 lines (public key, private key), found "
                    + lines.length + "; delete it to make a new key pair");
        }
        return new KeyPair(FleetKeys.publicKey(lines[0]), FleetKeys.privateKey(lines[1]));
    }

    /** What a device needs to verify configurations: the public half only. */
    PublicKey fleetPublicKey() throws IOException {
        return fleetKeys().getPublic();
    }

    /**
     * The built-in synthetic slimmable family (widths 0.25 to 1.0, every split point), as
     * {@code edgesplit split --synthetic} builds it. Deterministic, so the device and the edge server
     * agree on every segment's SHA-256 even if each built its own.
     */
    ModelPackage syntheticPackage() throws IOException {
        Path target = dir.resolve("synthetic-package");
        if (!Files.exists(target.resolve(ModelPackage.MANIFEST))) {
            PackageBuilder builder = new PackageBuilder("synthetic_slimmable").maxCrossing(2)
                    .codecs(List.of("raw", "fp16", "int8")).createdBy("edgesplit samples");
            List<ModelGraph> graphs = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
            for (VariantSource v : syntheticVariants(graphs)) {
                builder.addVariant(v);
            }
            try {
                return builder.write(target, false);
            } catch (FileAlreadyExistsException e) {
                // another sample wrote it meanwhile: the same bytes, use theirs
            }
        }
        return ModelPackage.load(target);
    }

    private static List<VariantSource> syntheticVariants(List<ModelGraph> graphs) {
        List<VariantSource> sources = new ArrayList<>();
        for (int i = 0; i < graphs.size(); i++) {
            double w = SyntheticModels.WIDTHS[i];
            // narrower widths are sliced from width 1.0 without training: no accuracy is claimed
            sources.add(new VariantSource(graphs.get(i), SyntheticModels.fileName(w), Sha256.of(graphs.get(i).toBytes()),
                    w, null, w == 1.0, w == 1.0 ? null : VariantSource.variantId(1.0)));
        }
        return sources;
    }

    /** Reads a small secret file, or creates it with {@code value} (owner-only) if it does not exist yet. */
    private String readOrCreate(String name, String value) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
            try {
                restrict(tmp);
                Files.writeString(tmp, value + "\n", StandardCharsets.US_ASCII);
                // a hard link fails if the name exists: two samples starting together cannot both win
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException e) {
                // the other one won; read its value
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): the directory's own permissions apply
        }
    }
}
