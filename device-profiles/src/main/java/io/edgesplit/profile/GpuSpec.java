package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A GPU the profile's owner can run tails (servers) or delegated operators (devices) on.
 *
 * @param name marketing name, e.g. {@code NVIDIA T4}; not blank
 * @param cores shader/CUDA cores, absent when unknown
 * @param maxFrequencyHz highest clock, absent when unknown
 * @param memoryBytes dedicated memory, absent when unknown or shared with the CPU
 */
public record GpuSpec(String name, OptionalInt cores, OptionalLong maxFrequencyHz, OptionalLong memoryBytes) {

    /** Validates every component. */
    public GpuSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cores, "cores");
        Objects.requireNonNull(maxFrequencyHz, "maxFrequencyHz");
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        if (Backports.isBlank(name)) {
            throw new IllegalArgumentException("name: must not be blank");
        }
        if (cores.isPresent() && cores.getAsInt() < 1) {
            throw new IllegalArgumentException("cores: must be >= 1, was " + cores.getAsInt());
        }
        if (maxFrequencyHz.isPresent() && maxFrequencyHz.getAsLong() <= 0) {
            throw new IllegalArgumentException("maxFrequencyHz: must be > 0, was " + maxFrequencyHz.getAsLong());
        }
        if (memoryBytes.isPresent() && memoryBytes.getAsLong() <= 0) {
            throw new IllegalArgumentException("memoryBytes: must be > 0, was " + memoryBytes.getAsLong());
        }
    }
}
