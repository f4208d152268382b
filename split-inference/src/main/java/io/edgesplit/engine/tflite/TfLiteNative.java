package io.edgesplit.engine.tflite;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorflowlite.global.tensorflowlite;

/** Loads TensorFlow Lite's native library once and reports its version. */
public final class TfLiteNative {

    private static volatile String version;

    private TfLiteNative() {
    }

    /**
     * Loads the native library (extracted by JavaCPP on desktop, from the APK on Android).
     *
     * @throws UnsatisfiedLinkError when no native jar for this platform is on the class path; the
     *     message names the platform and the Maven property that selects it
     */
    public static void ensureLoaded() {
        if (version != null) {
            return;
        }
        synchronized (TfLiteNative.class) {
            if (version != null) {
                return;
            }
            try {
                Loader.load(tensorflowlite.class);
            } catch (UnsatisfiedLinkError e) {
                UnsatisfiedLinkError err = new UnsatisfiedLinkError("TensorFlow Lite native library for platform '"
                        + Loader.getPlatform() + "' is not on the class path; build with "
                        + "-Djavacpp.platform=" + Loader.getPlatform() + " (" + e.getMessage() + ")");
                err.initCause(e);
                throw err;
            }
            BytePointer v = tensorflowlite.TfLiteVersion();
            version = v == null || v.isNull() ? "unknown" : v.getString();
        }
    }

    /** The TensorFlow Lite runtime version, e.g. {@code 2.19.0}. */
    public static String version() {
        ensureLoaded();
        return version;
    }
}
