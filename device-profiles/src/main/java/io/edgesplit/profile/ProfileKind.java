package io.edgesplit.profile;

import java.util.Locale;
import java.util.Optional;

/** What a profile describes: a device that runs heads, an edge server that runs tails, or a cloud target. */
public enum ProfileKind {
    /** A phone, board or gateway that runs the head of a split model (or the whole model). */
    DEVICE,
    /** An edge server near the devices that runs tails for many of them. */
    EDGE,
    /** A cloud inference server reached over the wide-area network. */
    CLOUD;

    /** The spelling used in YAML: {@code device}, {@code edge}, {@code cloud}. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind spelled {@code name} in YAML, if any. */
    public static Optional<ProfileKind> fromYamlName(String name) {
        for (ProfileKind k : values()) {
            if (k.yamlName().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
