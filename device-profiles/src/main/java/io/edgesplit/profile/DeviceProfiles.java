package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import io.edgesplit.profile.internal.ProfileParser;
import io.edgesplit.profile.internal.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads profiles from files, strings and the built-in catalog. Every method either returns a whole,
 * valid profile or throws a {@link ProfileException} that lists every problem with
 * {@code file:line:column: field.path: reason}; nothing is ever half-applied. Thread-safe.
 *
 * <pre>{@code
 * DeviceProfile device = DeviceProfiles.resolve("pixel-4");            // catalog id
 * DeviceProfile edge = DeviceProfiles.resolve("profiles/edge.yaml");   // or a file
 * }</pre>
 */
public final class DeviceProfiles {

    /** Files larger than this are refused before they are read: 1 MiB, far above any real profile. */
    public static final long MAX_FILE_BYTES = 1L << 20;

    /** Ids of the built-in profiles, as fixed by the command-line contract. */
    public static final List<String> CATALOG_IDS = Backports.listOf("raspberry-pi-4", "raspberry-pi-5",
            "jetson-nano-5w", "jetson-nano-10w", "pixel-4", "x86-edge-server", "cloud-gpu-server");

    private static final Map<String, DeviceProfile> CATALOG_CACHE = new ConcurrentHashMap<>();

    private DeviceProfiles() {
    }

    /**
     * Reads and validates a profile file (UTF-8 YAML, at most {@link #MAX_FILE_BYTES}).
     *
     * @throws ProfileException when the file is missing, too large, not UTF-8, not YAML, or invalid
     */
    public static DeviceProfile load(Path file) throws ProfileException {
        String source = file.toString();
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ProfileException(source, "file is " + size + " bytes; profiles are limited to "
                        + MAX_FILE_BYTES + " bytes", null);
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                // Bounded read: the file may have grown since the size check.
                bytes = Backports.readNBytes(in, (int) MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new ProfileException(source, "file is larger than " + MAX_FILE_BYTES + " bytes", null);
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ProfileException(source, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new ProfileException(source, "not UTF-8 text", e);
        } catch (ProfileException e) {
            throw e;
        } catch (IOException e) {
            throw new ProfileException(source, "cannot read: " + e, e);
        }
        return ProfileParser.parse(text, source);
    }

    /**
     * Parses and validates profile YAML held in memory.
     *
     * @param sourceName file name or label used in error messages
     */
    public static DeviceProfile parse(String yaml, String sourceName) throws ProfileException {
        return ProfileParser.parse(yaml, sourceName);
    }

    /**
     * A built-in profile by id (see {@link #CATALOG_IDS}).
     *
     * @throws ProfileException when there is no such built-in profile (the message lists them)
     */
    public static DeviceProfile catalog(String id) throws ProfileException {
        if (!CATALOG_IDS.contains(id)) {
            throw new ProfileException(id, "no built-in profile of that name" + hint(id), null);
        }
        DeviceProfile cached = CATALOG_CACHE.get(id);
        if (cached != null) {
            return cached;
        }
        String resource = "catalog/" + id + ".yaml";
        try (InputStream in = DeviceProfiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in profile " + resource + " is missing from the jar");
            }
            String yaml = new String(Backports.readAllBytes(in), StandardCharsets.UTF_8);
            DeviceProfile p = ProfileParser.parse(yaml, resource);
            CATALOG_CACHE.putIfAbsent(id, p);
            return p;
        } catch (ProfileException e) {
            throw e;
        } catch (IOException e) {
            throw new ProfileException(resource, "cannot read built-in profile: " + e, e);
        }
    }

    /** The built-in YAML text of a catalog profile, with its source comments. */
    public static String catalogYaml(String id) throws ProfileException {
        if (!CATALOG_IDS.contains(id)) {
            throw new ProfileException(id, "no built-in profile of that name" + hint(id), null);
        }
        try (InputStream in = DeviceProfiles.class.getResourceAsStream("catalog/" + id + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("built-in profile catalog/" + id + ".yaml is missing from the jar");
            }
            return new String(Backports.readAllBytes(in), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ProfileException(id, "cannot read built-in profile: " + e, e);
        }
    }

    /**
     * What the command line accepts wherever a profile is expected: an existing file, else a
     * built-in catalog id.
     *
     * @throws ProfileException when it is neither, listing the catalog ids
     */
    public static DeviceProfile resolve(String fileOrCatalogId) throws ProfileException {
        Path path = null;
        try {
            path = Paths.get(fileOrCatalogId);
        } catch (InvalidPathException e) {
            // not a path on this platform: can still be a catalog id
        }
        if (path != null && Files.exists(path)) {
            return load(path);
        }
        if (CATALOG_IDS.contains(fileOrCatalogId)) {
            return catalog(fileOrCatalogId);
        }
        throw new ProfileException(fileOrCatalogId, "no such file and no built-in profile of that name"
                + hint(fileOrCatalogId), null);
    }

    private static String hint(String id) {
        return Suggestions.closest(id, CATALOG_IDS).map(h -> ", did you mean '" + h + "'?").orElse("")
                + " (built-in profiles: " + String.join(", ", CATALOG_IDS) + ")";
    }
}
