package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.util.List;
import java.util.Locale;

/**
 * The property names allowed under a profile's {@code identity}. The {@code tflite.*} names are
 * TensorFlow Lite's own (tensorflow/lite/experimental/acceleration/compatibility/variables.h), so a
 * profile can be matched against TensorFlow Lite compatibility lists; the {@code os.*} names are the
 * Java system properties; {@code cpu.model} is the CPU's marketing name.
 */
public final class IdentityKeys {

    /** Android SDK version, {@code ro.build.version.sdk}, e.g. {@code 29}. */
    public static final String ANDROID_SDK_VERSION = "tflite.android_sdk_version";
    /** SoC model, normalized, e.g. {@code sm8150} or {@code bcm2711}. */
    public static final String SOC_MODEL = "tflite.soc_model";
    /** SoC vendor, e.g. {@code qualcomm}. */
    public static final String SOC_VENDOR = "tflite.soc_vendor";
    /** Device manufacturer, {@code android.os.Build.MANUFACTURER} normalized, e.g. {@code google}. */
    public static final String MANUFACTURER = "tflite.manufacturer";
    /** Device model, {@code android.os.Build.MODEL} normalized, e.g. {@code pixel_4}. */
    public static final String DEVICE_MODEL = "tflite.device_model";
    /** Device name, {@code android.os.Build.DEVICE} normalized, e.g. {@code flame}. */
    public static final String DEVICE_NAME = "tflite.device_name";
    /** GPU model, e.g. {@code adreno_(tm)_640}. */
    public static final String GPU_MODEL = "tflite.gpu_model";
    /** GPU vendor. */
    public static final String GPU_VENDOR = "tflite.gpu_vendor";
    /** OpenGL ES version, e.g. {@code 3.2}. */
    public static final String OPENGL_ES_VERSION = "tflite.opengl_es_version";
    /** NNAPI accelerator name, e.g. {@code qti-dsp}. */
    public static final String NNAPI_ACCELERATOR = "tflite.nnapi_accelerator";
    /** Operating system, Java's {@code os.name}, e.g. {@code Linux}. */
    public static final String OS_NAME = "os.name";
    /** Operating system version, Java's {@code os.version}. */
    public static final String OS_VERSION = "os.version";
    /** Architecture, Java's {@code os.arch}, e.g. {@code aarch64}. */
    public static final String OS_ARCH = "os.arch";
    /** CPU model name, e.g. {@code AMD EPYC} from /proc/cpuinfo. */
    public static final String CPU_MODEL = "cpu.model";

    /** Every allowed name, in the order the writer emits them. */
    public static final List<String> ALL = Backports.listOf(DEVICE_MODEL, DEVICE_NAME, MANUFACTURER, SOC_MODEL,
            SOC_VENDOR, ANDROID_SDK_VERSION, GPU_MODEL, GPU_VENDOR, OPENGL_ES_VERSION, NNAPI_ACCELERATOR, CPU_MODEL,
            OS_NAME, OS_VERSION, OS_ARCH);

    private IdentityKeys() {
    }

    /**
     * TensorFlow Lite's normalization of property values: lower case, spaces and dashes to
     * underscores ({@code "Pixel 4"} becomes {@code pixel_4}).
     */
    public static String normalize(String value) {
        return value.trim().toLowerCase(Locale.ROOT).replaceAll("[ -]", "_");
    }
}
