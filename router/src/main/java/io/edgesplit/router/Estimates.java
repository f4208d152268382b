package io.edgesplit.router;

import java.util.Arrays;
import java.util.Locale;

/**
 * An immutable snapshot of {@link LinkConditions}: per target index (0 = the device), uplink and
 * downlink bandwidth, RTT, queue delay, failure rate and availability, plus the radio's idle time
 * and the expected interval between requests. Build with {@link #builder(int)}.
 */
public final class Estimates implements LinkConditions {

    private final double[] uplinkBitsPerSecond;
    private final double[] downlinkBitsPerSecond;
    private final double[] rttMillis;
    private final double[] queueMillis;
    private final double[] failureRate;
    private final boolean[] available;
    private final double radioIdleMillis;
    private final double requestIntervalMillis;

    private Estimates(Builder b) {
        uplinkBitsPerSecond = b.up.clone();
        downlinkBitsPerSecond = b.down.clone();
        rttMillis = b.rtt.clone();
        queueMillis = b.queue.clone();
        failureRate = b.failure.clone();
        available = b.available.clone();
        radioIdleMillis = b.radioIdleMillis;
        requestIntervalMillis = b.requestIntervalMillis;
    }

    /** A builder for {@code targets} targets (including the device at index 0). */
    public static Builder builder(int targets) {
        return new Builder(targets);
    }

    /** Copies any conditions into a snapshot. */
    public static Estimates copyOf(LinkConditions c, int targets) {
        Builder b = builder(targets);
        for (int t = 1; t < targets; t++) {
            b.link(t, c.uplinkBitsPerSecond(t), c.downlinkBitsPerSecond(t), c.rttMillis(t));
            b.queueMillis(t, c.queueMillis(t));
            b.failureRate(t, c.failureRate(t));
            b.available(t, c.available(t));
        }
        return b.radioIdleMillis(c.radioIdleMillis()).requestIntervalMillis(c.requestIntervalMillis()).build();
    }

    /** The nominal conditions of a cost table's targets: each link's profile values, no queue, no failures. */
    public static Estimates nominal(CostTable table) {
        Builder b = builder(table.targets().size());
        for (int t = 1; t < table.targets().size(); t++) {
            b.link(t, table.nominalUplinkBitsPerSecond(t), table.nominalDownlinkBitsPerSecond(t),
                    table.nominalRttMillis(t));
        }
        return b.build();
    }

    public int targetCount() {
        return uplinkBitsPerSecond.length;
    }

    public Builder toBuilder() {
        Builder b = new Builder(uplinkBitsPerSecond.length);
        System.arraycopy(uplinkBitsPerSecond, 0, b.up, 0, b.up.length);
        System.arraycopy(downlinkBitsPerSecond, 0, b.down, 0, b.down.length);
        System.arraycopy(rttMillis, 0, b.rtt, 0, b.rtt.length);
        System.arraycopy(queueMillis, 0, b.queue, 0, b.queue.length);
        System.arraycopy(failureRate, 0, b.failure, 0, b.failure.length);
        System.arraycopy(available, 0, b.available, 0, b.available.length);
        b.radioIdleMillis = radioIdleMillis;
        b.requestIntervalMillis = requestIntervalMillis;
        return b;
    }

    @Override
    public double uplinkBitsPerSecond(int t) {
        return uplinkBitsPerSecond[t];
    }

    @Override
    public double downlinkBitsPerSecond(int t) {
        return downlinkBitsPerSecond[t];
    }

    @Override
    public double rttMillis(int t) {
        return rttMillis[t];
    }

    @Override
    public double queueMillis(int t) {
        return queueMillis[t];
    }

    @Override
    public double failureRate(int t) {
        return failureRate[t];
    }

    @Override
    public boolean available(int t) {
        return available[t];
    }

    @Override
    public double radioIdleMillis() {
        return radioIdleMillis;
    }

    @Override
    public double requestIntervalMillis() {
        return requestIntervalMillis;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Estimates{");
        for (int t = 1; t < uplinkBitsPerSecond.length; t++) {
            sb.append(String.format(Locale.ROOT, "[%d] up=%.2fMbit/s down=%.2fMbit/s rtt=%.1fms queue=%.1fms fail=%.2f%s ",
                    t, uplinkBitsPerSecond[t] / 1e6, downlinkBitsPerSecond[t] / 1e6, rttMillis[t], queueMillis[t],
                    failureRate[t], available[t] ? "" : " DOWN"));
        }
        return sb.append(String.format(Locale.ROOT, "radioIdle=%.0fms interval=%.0fms}", radioIdleMillis,
                requestIntervalMillis)).toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Estimates)) {
            return false;
        }
        Estimates e = (Estimates) o;
        return Arrays.equals(uplinkBitsPerSecond, e.uplinkBitsPerSecond)
                && Arrays.equals(downlinkBitsPerSecond, e.downlinkBitsPerSecond) && Arrays.equals(rttMillis, e.rttMillis)
                && Arrays.equals(queueMillis, e.queueMillis) && Arrays.equals(failureRate, e.failureRate)
                && Arrays.equals(available, e.available) && radioIdleMillis == e.radioIdleMillis
                && requestIntervalMillis == e.requestIntervalMillis;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(uplinkBitsPerSecond) * 31 + Arrays.hashCode(rttMillis);
    }

    /** Builder for {@link Estimates}; values are validated and named in errors. */
    public static final class Builder {
        private final double[] up;
        private final double[] down;
        private final double[] rtt;
        private final double[] queue;
        private final double[] failure;
        private final boolean[] available;
        private double radioIdleMillis = Double.POSITIVE_INFINITY;
        private double requestIntervalMillis = Double.POSITIVE_INFINITY;

        private Builder(int targets) {
            if (targets < 1) {
                throw new IllegalArgumentException("targets: must be >= 1 (the device), was " + targets);
            }
            up = new double[targets];
            down = new double[targets];
            rtt = new double[targets];
            queue = new double[targets];
            failure = new double[targets];
            available = new boolean[targets];
            Arrays.fill(available, true);
            Arrays.fill(up, Double.POSITIVE_INFINITY);
            Arrays.fill(down, Double.POSITIVE_INFINITY);
        }

        public Builder link(int target, double uplinkBitsPerSecond, double downlinkBitsPerSecond, double rttMillis) {
            checkTarget(target);
            positive("uplinkBitsPerSecond", uplinkBitsPerSecond);
            positive("downlinkBitsPerSecond", downlinkBitsPerSecond);
            if (!(rttMillis >= 0)) {
                throw new IllegalArgumentException("rttMillis: must be >= 0, was " + rttMillis);
            }
            up[target] = uplinkBitsPerSecond;
            down[target] = downlinkBitsPerSecond;
            rtt[target] = rttMillis;
            return this;
        }

        public Builder queueMillis(int target, double ms) {
            checkTarget(target);
            if (!(ms >= 0)) {
                throw new IllegalArgumentException("queueMillis: must be >= 0, was " + ms);
            }
            queue[target] = ms;
            return this;
        }

        public Builder failureRate(int target, double rate) {
            checkTarget(target);
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("failureRate: must be in [0, 1], was " + rate);
            }
            failure[target] = rate;
            return this;
        }

        public Builder available(int target, boolean up) {
            checkTarget(target);
            available[target] = up;
            return this;
        }

        public Builder radioIdleMillis(double ms) {
            if (!(ms >= 0)) {
                throw new IllegalArgumentException("radioIdleMillis: must be >= 0, was " + ms);
            }
            radioIdleMillis = ms;
            return this;
        }

        public Builder requestIntervalMillis(double ms) {
            if (!(ms > 0)) {
                throw new IllegalArgumentException("requestIntervalMillis: must be > 0, was " + ms);
            }
            requestIntervalMillis = ms;
            return this;
        }

        private void checkTarget(int t) {
            if (t < 1 || t >= up.length) {
                throw new IllegalArgumentException("target: must be 1.." + (up.length - 1) + " (0 is the device), was " + t);
            }
        }

        private static void positive(String name, double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException(name + ": must be > 0, was " + v);
            }
        }

        public Estimates build() {
            return new Estimates(this);
        }
    }
}
