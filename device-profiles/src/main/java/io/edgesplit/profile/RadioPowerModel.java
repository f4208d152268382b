package io.edgesplit.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Power of a radio while it moves data, after Huang et al., "A Close Examination of Performance and
 * Power Characteristics of 4G LTE Networks" (MobiSys 2012), as implemented by AT&amp;T's ARO: while
 * transferring, {@code P = alphaUp * uplinkMbps + alphaDown * downlinkMbps + beta}; before the first
 * byte the radio spends {@code promotionTime} at {@code promotionPower} to leave idle, and after the
 * last byte it stays up for {@code tailTime} at {@code tailPower}. Immutable; build with
 * {@link #builder()} or take a {@link #preset(String) preset}.
 */
public final class RadioPowerModel {

    /**
     * LTE, from AT&amp;T ARO's {@code lte.conf} (../shared/data/power_profiles/aro_att/lte.conf):
     * alpha_up {@code LTE_ALPHA_UP=438.39} mW/Mbps, alpha_down {@code LTE_ALPHA_DOWN=51.97} mW/Mbps,
     * beta {@code LTE_BETA=1.2} W, promotion {@code P_PROMOTION=1.21} W for {@code T_PROMOTION=0.26} s,
     * tail {@code P_TAIL=1.06} W for {@code INACTIVITY_TIMER=0.1} + {@code T_SHORT_DRX=0.02} +
     * {@code T_LONG_DRX=10} = 10.12 s. The alphas are those of Huang et al.'s LTE model (POWER.md).
     */
    public static final RadioPowerModel ARO_LTE = builder()
            .alphaUpMilliwattsPerMbps(438.39)
            .alphaDownMilliwattsPerMbps(51.97)
            .betaMilliwatts(1200)
            .promotionPowerMilliwatts(1210)
            .promotionTimeMillis(260)
            .tailPowerMilliwatts(1060)
            .tailTimeMillis(10_120)
            .build();

    /**
     * WiFi, from AT&amp;T ARO's {@code WiFi.conf} (../shared/data/power_profiles/aro_att/WiFi.conf):
     * beta {@code POWER_WIFI_ACTIVE=0.403} W, tail {@code WIFI_TAIL_TIME=0.25} s. The file has no
     * throughput term (alphas 0) and no promotion state (0 W, 0 s); it gives no tail power, so the tail
     * is taken at the active power (an assumption, not a published figure).
     */
    public static final RadioPowerModel ARO_WIFI = builder()
            .alphaUpMilliwattsPerMbps(0)
            .alphaDownMilliwattsPerMbps(0)
            .betaMilliwatts(403)
            .promotionPowerMilliwatts(0)
            .promotionTimeMillis(0)
            .tailPowerMilliwatts(403)
            .tailTimeMillis(250)
            .build();

    /**
     * 3G UMTS, from AT&amp;T ARO's Samsung i997 profile (../shared/data/power_profiles/aro_att/i997_3g.conf):
     * beta {@code POWER_DCH=1.30} W; promotion {@code POWER_IDLE_DCH=0.65} W for
     * {@code IDLE_DCH_PROMO_AVG=2.0} s; the two-stage tail ({@code DCH_FACH_TIMER=4} s at
     * {@code POWER_DCH=1.30} W, then {@code FACH_IDLE_TIMER=10} s at {@code POWER_FACH=0.30} W) folded
     * into one stage of 14 s at the energy-preserving mean (4 x 1.30 + 10 x 0.30) / 14 = 0.5857 W. No
     * throughput term in the file: alphas 0.
     */
    public static final RadioPowerModel ARO_3G = builder()
            .alphaUpMilliwattsPerMbps(0)
            .alphaDownMilliwattsPerMbps(0)
            .betaMilliwatts(1300)
            .promotionPowerMilliwatts(650)
            .promotionTimeMillis(2000)
            .tailPowerMilliwatts((4 * 1300.0 + 10 * 300.0) / 14)
            .tailTimeMillis(14_000)
            .build();

    private static final Map<String, RadioPowerModel> PRESETS;

    static {
        Map<String, RadioPowerModel> m = new LinkedHashMap<>();
        m.put("aro-lte", ARO_LTE);
        m.put("aro-wifi", ARO_WIFI);
        m.put("aro-3g", ARO_3G);
        PRESETS = Collections.unmodifiableMap(m);
    }

    private final double alphaUpMilliwattsPerMbps;
    private final double alphaDownMilliwattsPerMbps;
    private final double betaMilliwatts;
    private final double promotionPowerMilliwatts;
    private final double promotionTimeMillis;
    private final double tailPowerMilliwatts;
    private final double tailTimeMillis;

    private RadioPowerModel(Builder b) {
        this.alphaUpMilliwattsPerMbps = b.values[0];
        this.alphaDownMilliwattsPerMbps = b.values[1];
        this.betaMilliwatts = b.values[2];
        this.promotionPowerMilliwatts = b.values[3];
        this.promotionTimeMillis = b.values[4];
        this.tailPowerMilliwatts = b.values[5];
        this.tailTimeMillis = b.values[6];
    }

    /** Preset names in YAML ({@code radio: {preset: aro-lte}}): aro-lte, aro-wifi, aro-3g. */
    public static Map<String, RadioPowerModel> presets() {
        return PRESETS;
    }

    /** The preset called {@code name}, if any. */
    public static Optional<RadioPowerModel> preset(String name) {
        return Optional.ofNullable(PRESETS.get(name));
    }

    /** The name of the preset equal to this model, if it is one. */
    public Optional<String> presetName() {
        for (Map.Entry<String, RadioPowerModel> e : PRESETS.entrySet()) {
            if (e.getValue().equals(this)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().alphaUpMilliwattsPerMbps(alphaUpMilliwattsPerMbps)
                .alphaDownMilliwattsPerMbps(alphaDownMilliwattsPerMbps).betaMilliwatts(betaMilliwatts)
                .promotionPowerMilliwatts(promotionPowerMilliwatts).promotionTimeMillis(promotionTimeMillis)
                .tailPowerMilliwatts(tailPowerMilliwatts).tailTimeMillis(tailTimeMillis);
    }

    /** Extra power per Mbit/s of uplink throughput. */
    public double alphaUpMilliwattsPerMbps() {
        return alphaUpMilliwattsPerMbps;
    }

    /** Extra power per Mbit/s of downlink throughput. */
    public double alphaDownMilliwattsPerMbps() {
        return alphaDownMilliwattsPerMbps;
    }

    /** Power of the connected radio before throughput terms. */
    public double betaMilliwatts() {
        return betaMilliwatts;
    }

    /** Average power while promoting from idle to connected. */
    public double promotionPowerMilliwatts() {
        return promotionPowerMilliwatts;
    }

    /** Time to promote from idle to connected. */
    public double promotionTimeMillis() {
        return promotionTimeMillis;
    }

    /** Average power in the tail after the last transfer. */
    public double tailPowerMilliwatts() {
        return tailPowerMilliwatts;
    }

    /** Time the radio stays up after the last transfer. */
    public double tailTimeMillis() {
        return tailTimeMillis;
    }

    /** Power while transferring at the given rates: {@code alphaUp * up + alphaDown * down + beta}. */
    public double transferPowerMilliwatts(double uplinkMbps, double downlinkMbps) {
        return alphaUpMilliwattsPerMbps * uplinkMbps + alphaDownMilliwattsPerMbps * downlinkMbps + betaMilliwatts;
    }

    private double[] values() {
        return new double[] {alphaUpMilliwattsPerMbps, alphaDownMilliwattsPerMbps, betaMilliwatts,
            promotionPowerMilliwatts, promotionTimeMillis, tailPowerMilliwatts, tailTimeMillis};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RadioPowerModel && java.util.Arrays.equals(values(), ((RadioPowerModel) o).values());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(values());
    }

    @Override
    public String toString() {
        return "RadioPowerModel{alphaUpMilliwattsPerMbps=" + alphaUpMilliwattsPerMbps
                + ", alphaDownMilliwattsPerMbps=" + alphaDownMilliwattsPerMbps + ", betaMilliwatts=" + betaMilliwatts
                + ", promotionPowerMilliwatts=" + promotionPowerMilliwatts + ", promotionTimeMillis=" + promotionTimeMillis
                + ", tailPowerMilliwatts=" + tailPowerMilliwatts + ", tailTimeMillis=" + tailTimeMillis + '}';
    }

    /** Builder for {@link RadioPowerModel}; every value is required and must be finite and >= 0. */
    public static final class Builder {
        private static final String[] NAMES = {"alphaUpMilliwattsPerMbps", "alphaDownMilliwattsPerMbps",
            "betaMilliwatts", "promotionPowerMilliwatts", "promotionTimeMillis", "tailPowerMilliwatts", "tailTimeMillis"};
        private final double[] values = {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN};

        private Builder() {
        }

        public Builder alphaUpMilliwattsPerMbps(double v) {
            return set(0, v);
        }

        public Builder alphaDownMilliwattsPerMbps(double v) {
            return set(1, v);
        }

        public Builder betaMilliwatts(double v) {
            return set(2, v);
        }

        public Builder promotionPowerMilliwatts(double v) {
            return set(3, v);
        }

        public Builder promotionTimeMillis(double v) {
            return set(4, v);
        }

        public Builder tailPowerMilliwatts(double v) {
            return set(5, v);
        }

        public Builder tailTimeMillis(double v) {
            return set(6, v);
        }

        private Builder set(int i, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(NAMES[i] + ": must be >= 0, was " + v);
            }
            values[i] = v;
            return this;
        }

        /** @throws IllegalArgumentException naming the first value that was never set */
        public RadioPowerModel build() {
            for (int i = 0; i < values.length; i++) {
                if (Double.isNaN(values[i])) {
                    throw new IllegalArgumentException(NAMES[i] + ": is required");
                }
            }
            return new RadioPowerModel(this);
        }
    }
}
