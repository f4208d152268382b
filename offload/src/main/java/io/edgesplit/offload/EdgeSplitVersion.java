package io.edgesplit.offload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * EdgeSplit's version at run time, e.g. {@code 0.1.0-SNAPSHOT}. It comes from
 * {@code io/edgesplit/offload/version.properties}, which Maven fills in when it builds this module,
 * so it is right wherever the classes run: from {@code target/classes} in tests, from the jar in
 * the CLI's {@code lib/}, inside a shaded jar (whose manifest is not ours) and in an Android app
 * (which keeps Java resources of library jars but no jar manifests). Only when the resource is
 * missing or was not filtered does it fall back to the package's {@code Implementation-Version},
 * then to {@code "unknown"}. Read once.
 */
public final class EdgeSplitVersion {

    /** Where the version is, absolute, so that renaming this class (R8, ProGuard) does not lose it. */
    static final String RESOURCE = "/io/edgesplit/offload/version.properties";

    private static final String VERSION = read();

    private EdgeSplitVersion() {
    }

    /** The project version this library was built as. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        String v = null;
        try (InputStream in = EdgeSplitVersion.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                v = p.getProperty("version");
            }
        } catch (IOException e) {
            v = null; // unreadable: the fallbacks below say as much as we know
        }
        if (v == null || v.trim().isEmpty() || v.contains("${")) {
            Package pkg = EdgeSplitVersion.class.getPackage();
            v = pkg == null ? null : pkg.getImplementationVersion();
        }
        return v == null ? "unknown" : v.trim();
    }
}
