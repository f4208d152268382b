package io.edgesplit.profile;

import java.util.Locale;
import java.util.Optional;

/** The TensorFlow Lite delegate (or plain CPU kernels) a computation runs on. */
public enum Delegate {
    /** TensorFlow Lite's built-in CPU kernels, no delegate. */
    NONE,
    /** The XNNPACK CPU delegate (TensorFlow Lite's default on most platforms). */
    XNNPACK,
    /** The GPU delegate (OpenCL/OpenGL/Metal), or a server GPU for edge and cloud targets. */
    GPU,
    /** Android's Neural Networks API. */
    NNAPI,
    /** Qualcomm's Hexagon DSP delegate. */
    HEXAGON,
    /** A Coral Edge TPU. */
    EDGETPU;

    /** The spelling used in YAML, e.g. {@code xnnpack}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The delegate spelled {@code name} in YAML, if any. */
    public static Optional<Delegate> fromYamlName(String name) {
        for (Delegate d : values()) {
            if (d.yamlName().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
