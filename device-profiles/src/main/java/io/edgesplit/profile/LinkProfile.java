package io.edgesplit.profile;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One network link of a profile (a device's WiFi or LTE radio, a server's Ethernet): nominal
 * bandwidth each way, round-trip time, and optionally the radio's power model. Nominal values seed
 * the router's online estimators; they are not a promise. Immutable; build with {@link #builder(String)}.
 */
public final class LinkProfile {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private final String name;
    private final double uplinkBitsPerSecond;
    private final double downlinkBitsPerSecond;
    private final double rttMillis;
    private final Optional<RadioPowerModel> radio;

    private LinkProfile(Builder b) {
        this.name = b.name;
        this.uplinkBitsPerSecond = b.uplinkBitsPerSecond;
        this.downlinkBitsPerSecond = b.downlinkBitsPerSecond;
        this.rttMillis = b.rttMillis;
        this.radio = Optional.ofNullable(b.radio);
    }

    /** @param name the link's key in the profile: lower case letters, digits, {@code _ -} */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        return new Builder(name).uplinkBitsPerSecond(uplinkBitsPerSecond).downlinkBitsPerSecond(downlinkBitsPerSecond)
                .rttMillis(rttMillis).radio(radio.orElse(null));
    }

    /** The link's key, e.g. {@code wifi}, {@code lte}, {@code ethernet}. */
    public String name() {
        return name;
    }

    /** Nominal uplink (device to network) bandwidth. */
    public double uplinkBitsPerSecond() {
        return uplinkBitsPerSecond;
    }

    /** Nominal downlink (network to device) bandwidth. */
    public double downlinkBitsPerSecond() {
        return downlinkBitsPerSecond;
    }

    /** Nominal round-trip time to the next hop that serves inference. */
    public double rttMillis() {
        return rttMillis;
    }

    /** The radio's power model; absent for wired links or when no figure is published. */
    public Optional<RadioPowerModel> radio() {
        return radio;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LinkProfile)) {
            return false;
        }
        LinkProfile l = (LinkProfile) o;
        return name.equals(l.name) && Double.compare(uplinkBitsPerSecond, l.uplinkBitsPerSecond) == 0
                && Double.compare(downlinkBitsPerSecond, l.downlinkBitsPerSecond) == 0
                && Double.compare(rttMillis, l.rttMillis) == 0 && radio.equals(l.radio);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, uplinkBitsPerSecond, downlinkBitsPerSecond, rttMillis, radio);
    }

    @Override
    public String toString() {
        return "LinkProfile{name=" + name + ", uplinkBitsPerSecond=" + uplinkBitsPerSecond + ", downlinkBitsPerSecond="
                + downlinkBitsPerSecond + ", rttMillis=" + rttMillis + ", radio=" + radio + '}';
    }

    /** Builder for {@link LinkProfile}; uplink, downlink and RTT are required and must be > 0. */
    public static final class Builder {
        private final String name;
        private double uplinkBitsPerSecond = Double.NaN;
        private double downlinkBitsPerSecond = Double.NaN;
        private double rttMillis = Double.NaN;
        private RadioPowerModel radio;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name: must match " + NAME.pattern() + ", was '" + name + "'");
            }
            this.name = name;
        }

        public Builder uplinkBitsPerSecond(double v) {
            this.uplinkBitsPerSecond = positive("uplinkBitsPerSecond", v);
            return this;
        }

        public Builder downlinkBitsPerSecond(double v) {
            this.downlinkBitsPerSecond = positive("downlinkBitsPerSecond", v);
            return this;
        }

        public Builder rttMillis(double v) {
            this.rttMillis = positive("rttMillis", v);
            return this;
        }

        /** The radio power model, or null for none. */
        public Builder radio(RadioPowerModel radio) {
            this.radio = radio;
            return this;
        }

        public LinkProfile build() {
            if (Double.isNaN(uplinkBitsPerSecond) || Double.isNaN(downlinkBitsPerSecond) || Double.isNaN(rttMillis)) {
                throw new IllegalArgumentException("link '" + name + "': uplink, downlink and rtt are required");
            }
            return new LinkProfile(this);
        }

        private static double positive(String field, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(field + ": must be > 0, was " + v);
            }
            return v;
        }
    }
}
