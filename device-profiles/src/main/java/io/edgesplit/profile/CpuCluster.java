package io.edgesplit.profile;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A group of identical CPU cores sharing a frequency domain (one big.LITTLE cluster, or all cores
 * of a homogeneous CPU).
 *
 * @param name cluster name, unique in the profile, letters, digits, {@code . _ -}; used as the key
 *     of per-core power
 * @param cores number of cores, 1 to 1024
 * @param maxFrequencyHz highest frequency, absent when unknown (a probe never invents one)
 * @param minFrequencyHz lowest frequency, absent when unknown
 */
public record CpuCluster(String name, int cores, OptionalLong maxFrequencyHz, OptionalLong minFrequencyHz) {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** Validates every component; see the record description for the rules. */
    public CpuCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxFrequencyHz, "maxFrequencyHz");
        Objects.requireNonNull(minFrequencyHz, "minFrequencyHz");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: must match " + NAME.pattern() + ", was '" + name + "'");
        }
        if (cores < 1 || cores > 1024) {
            throw new IllegalArgumentException("cores: must be between 1 and 1024, was " + cores);
        }
        if (maxFrequencyHz.isPresent() && maxFrequencyHz.getAsLong() <= 0) {
            throw new IllegalArgumentException("maxFrequencyHz: must be > 0, was " + maxFrequencyHz.getAsLong());
        }
        if (minFrequencyHz.isPresent() && minFrequencyHz.getAsLong() <= 0) {
            throw new IllegalArgumentException("minFrequencyHz: must be > 0, was " + minFrequencyHz.getAsLong());
        }
        if (maxFrequencyHz.isPresent() && minFrequencyHz.isPresent()
                && minFrequencyHz.getAsLong() > maxFrequencyHz.getAsLong()) {
            throw new IllegalArgumentException("minFrequencyHz: must be <= maxFrequencyHz " + maxFrequencyHz.getAsLong()
                    + ", was " + minFrequencyHz.getAsLong());
        }
    }

    /** A cluster with a known maximum frequency and no minimum. */
    public static CpuCluster of(String name, int cores, long maxFrequencyHz) {
        return new CpuCluster(name, cores, OptionalLong.of(maxFrequencyHz), OptionalLong.empty());
    }
}
