package io.edgesplit.router.sim;

import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The network between the device and one remote target in a simulation: transfers are serialized
 * at the rate of a {@link BandwidthTrace} from the moment they start (one trace per direction), plus
 * a round-trip time; optionally packets are lost at random and retransmitted. Immutable.
 *
 * <p>Loss model: a transfer is cut into packets of {@link #mtuBytes()}; each is lost independently
 * with probability {@link #lossRate()}. The lost packets of a round are noticed one RTT after the
 * round's last byte left (fast retransmit) and resent through the trace; rounds repeat until none is
 * lost (at most {@value #MAX_RETRANSMISSION_ROUNDS}). Draws come from the seed the caller passes, so
 * the same request loses the same packets whichever policy runs it. Transfers of different requests
 * do not contend for the link: each sees the whole trace rate.
 */
public final class LinkModel {

    public static final int DEFAULT_MTU_BYTES = 1500;
    public static final int MAX_RETRANSMISSION_ROUNDS = 32;

    private final BandwidthTrace uplink;
    private final BandwidthTrace downlink;
    private final double rttMillis;
    private final double lossRate;
    private final int mtuBytes;

    /**
     * @param lossRate probability that a packet is lost, in [0, 0.5]
     * @throws IllegalArgumentException naming the parameter and its value
     */
    public LinkModel(BandwidthTrace uplink, BandwidthTrace downlink, double rttMillis, double lossRate, int mtuBytes) {
        this.uplink = Objects.requireNonNull(uplink, "uplink");
        this.downlink = Objects.requireNonNull(downlink, "downlink");
        if (!(rttMillis >= 0) || Double.isInfinite(rttMillis)) {
            throw new IllegalArgumentException("rttMillis: must be finite and >= 0, was " + rttMillis);
        }
        if (!(lossRate >= 0 && lossRate <= 0.5)) {
            throw new IllegalArgumentException("lossRate: must be in [0, 0.5], was " + lossRate);
        }
        if (mtuBytes < 64 || mtuBytes > 65_535) {
            throw new IllegalArgumentException("mtuBytes: must be in 64..65535, was " + mtuBytes);
        }
        this.rttMillis = rttMillis;
        this.lossRate = lossRate;
        this.mtuBytes = mtuBytes;
    }

    /** A loss-free link. */
    public LinkModel(BandwidthTrace uplink, BandwidthTrace downlink, double rttMillis) {
        this(uplink, downlink, rttMillis, 0, DEFAULT_MTU_BYTES);
    }

    public BandwidthTrace uplink() {
        return uplink;
    }

    public BandwidthTrace downlink() {
        return downlink;
    }

    public double rttMillis() {
        return rttMillis;
    }

    public double lossRate() {
        return lossRate;
    }

    public int mtuBytes() {
        return mtuBytes;
    }

    /** The result of one transfer: when its last byte arrived and how many bytes crossed the link. */
    public static final class Transfer {
        private double endMillis;
        private long wireBytes;

        public double endMillis() {
            return endMillis;
        }

        /** Bytes sent, retransmissions included. */
        public long wireBytes() {
            return wireBytes;
        }
    }

    /**
     * Sends {@code bytes} starting at {@code startMillis} up ({@code up}) or down the link.
     *
     * @param seed the loss draws' seed (ignored without loss)
     * @return {@code out}
     */
    public Transfer send(boolean up, double startMillis, long bytes, long seed, Transfer out) {
        BandwidthTrace trace = up ? uplink : downlink;
        double end = trace.transferEndMillis(startMillis, bytes);
        long wire = bytes;
        if (lossRate > 0 && bytes > 0) {
            SplittableRandom random = new SplittableRandom(seed);
            long packets = (bytes + mtuBytes - 1) / mtuBytes;
            for (int round = 0; round < MAX_RETRANSMISSION_ROUNDS && packets > 0; round++) {
                long lost = 0;
                for (long p = 0; p < packets; p++) {
                    if (random.nextDouble() < lossRate) {
                        lost++;
                    }
                }
                if (lost == 0) {
                    break;
                }
                long resend = Math.min(lost * mtuBytes, bytes);
                end = trace.transferEndMillis(end + rttMillis, resend);
                wire += resend;
                packets = lost;
            }
        }
        out.endMillis = end;
        out.wireBytes = wire;
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LinkModel{up=%s, down=%s, rtt=%.1fms, loss=%.4f}", uplink.name(),
                downlink.name(), rttMillis, lossRate);
    }
}
