package io.edgesplit.router.sim;

import java.util.Objects;
import java.util.Optional;

/**
 * A trace of a device's access link: the downlink series, and the uplink series when the trace
 * file (or its pair) has one. Immutable.
 *
 * <p>An uplink series is a <em>capacity</em> when it was recorded by saturating the link (mahimahi's
 * {@code .up} files); logs of the traffic an app happened to generate (G-NetTrack's UL_bitrate during
 * a download is its TCP acknowledgements, about 0.1 Mbit/s) are not, and
 * {@link #uplinkCapacity(UplinkSource)} does not use them unless asked to.
 */
public final class LinkTrace {

    /** Which series the simulator uses as the uplink's capacity. */
    public enum UplinkSource {
        /** The trace's uplink series when it is a capacity measurement, else the downlink series. */
        AUTO,
        /** The trace's uplink series, whatever it measured (refused when there is none). */
        UPLINK,
        /** The downlink series for both directions. */
        DOWNLINK
    }

    private final String format;
    private final BandwidthTrace downlink;
    private final BandwidthTrace uplink;
    private final boolean uplinkIsCapacity;

    /**
     * @param format the reader's format name ("mahimahi")
     * @param uplink the uplink series, or null when the trace has only one direction
     * @param uplinkIsCapacity whether {@code uplink} was recorded by saturating the link
     */
    public LinkTrace(String format, BandwidthTrace downlink, BandwidthTrace uplink, boolean uplinkIsCapacity) {
        this.format = Objects.requireNonNull(format, "format");
        this.downlink = Objects.requireNonNull(downlink, "downlink");
        this.uplink = uplink;
        this.uplinkIsCapacity = uplink != null && uplinkIsCapacity;
    }

    /** A trace with one series for both directions. */
    public static LinkTrace symmetric(String format, BandwidthTrace both) {
        return new LinkTrace(format, both, null, false);
    }

    public String format() {
        return format;
    }

    public String name() {
        return downlink.name();
    }

    public BandwidthTrace downlink() {
        return downlink;
    }

    /** The uplink series the file had, if any, capacity or not. */
    public Optional<BandwidthTrace> uplink() {
        return Optional.ofNullable(uplink);
    }

    public boolean uplinkIsCapacity() {
        return uplinkIsCapacity;
    }

    /**
     * The series to use as the uplink's capacity.
     *
     * @throws IllegalArgumentException for {@link UplinkSource#UPLINK} when the trace has no uplink series
     */
    public BandwidthTrace uplinkCapacity(UplinkSource source) {
        switch (source) {
            case UPLINK:
                if (uplink == null) {
                    throw new IllegalArgumentException("trace " + name() + " has no uplink series; use the "
                            + "downlink series for both directions or give an uplink trace");
                }
                return uplink;
            case DOWNLINK:
                return downlink;
            default:
                return uplinkIsCapacity ? uplink : downlink;
        }
    }
}
