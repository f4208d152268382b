package io.edgesplit.router;

/**
 * What the planner optimizes among the plans that meet the hard budgets. Immutable.
 *
 * <p>The weighted objective minimizes {@code latencyWeight * ms + energyWeight * mJ +
 * bytesWeight * kB - accuracyWeight * (accuracy in percent points)}.
 */
public final class Objective {

    /** The kinds of objective. */
    public enum Kind {
        MIN_LATENCY,
        MIN_ENERGY,
        MAX_ACCURACY,
        WEIGHTED
    }

    public static final Objective MIN_LATENCY = new Objective(Kind.MIN_LATENCY, 1, 0, 0, 0);
    public static final Objective MIN_ENERGY = new Objective(Kind.MIN_ENERGY, 0, 1, 0, 0);
    /** Highest accuracy; latency breaks ties. */
    public static final Objective MAX_ACCURACY = new Objective(Kind.MAX_ACCURACY, 0, 0, 0, 1);

    private final Kind kind;
    private final double latencyWeightPerMilli;
    private final double energyWeightPerMillijoule;
    private final double bytesWeightPerKilobyte;
    private final double accuracyWeightPerPoint;

    private Objective(Kind kind, double latency, double energy, double bytes, double accuracy) {
        this.kind = kind;
        this.latencyWeightPerMilli = latency;
        this.energyWeightPerMillijoule = energy;
        this.bytesWeightPerKilobyte = bytes;
        this.accuracyWeightPerPoint = accuracy;
    }

    /**
     * A weighted sum; every weight must be finite and >= 0 and at least one > 0.
     *
     * @throws IllegalArgumentException naming the weight and its value
     */
    public static Objective weighted(double latencyPerMilli, double energyPerMillijoule, double bytesPerKilobyte,
            double accuracyPerPoint) {
        check("latencyPerMilli", latencyPerMilli);
        check("energyPerMillijoule", energyPerMillijoule);
        check("bytesPerKilobyte", bytesPerKilobyte);
        check("accuracyPerPoint", accuracyPerPoint);
        if (latencyPerMilli + energyPerMillijoule + bytesPerKilobyte + accuracyPerPoint == 0) {
            throw new IllegalArgumentException("weighted objective: at least one weight must be > 0");
        }
        return new Objective(Kind.WEIGHTED, latencyPerMilli, energyPerMillijoule, bytesPerKilobyte, accuracyPerPoint);
    }

    private static void check(String name, double w) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException(name + ": must be a finite number >= 0, was " + w);
        }
    }

    /**
     * Parses "latency", "energy", "accuracy" or "weighted:L,E,B,A".
     *
     * @throws IllegalArgumentException naming the value
     */
    public static Objective parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        switch (t) {
            case "latency":
            case "min-latency":
                return MIN_LATENCY;
            case "energy":
            case "min-energy":
                return MIN_ENERGY;
            case "accuracy":
            case "max-accuracy":
                return MAX_ACCURACY;
            default:
                if (t.startsWith("weighted:")) {
                    String[] w = t.substring(9).split(",");
                    if (w.length == 4) {
                        try {
                            return weighted(Double.parseDouble(w[0]), Double.parseDouble(w[1]),
                                    Double.parseDouble(w[2]), Double.parseDouble(w[3]));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("objective: '" + text + "' has a weight that is not a number", e);
                        }
                    }
                }
                throw new IllegalArgumentException("objective: '" + text + "' is not one of latency, energy, accuracy, "
                        + "weighted:LATENCY,ENERGY,BYTES,ACCURACY");
        }
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The score to minimize for a plan's predicted figures. Accuracy is in [0, 1]; unknown accuracy
     * (NaN) counts as 0 for accuracy-seeking objectives.
     */
    public double score(double latencyMillis, double energyMillijoules, long bytes, double accuracy) {
        double acc = Double.isNaN(accuracy) ? 0 : accuracy;
        switch (kind) {
            case MIN_LATENCY:
                return latencyMillis;
            case MIN_ENERGY:
                return energyMillijoules;
            case MAX_ACCURACY:
                // one percent point of accuracy outweighs any latency; latency breaks ties
                return -acc * 1e9 + latencyMillis;
            default:
                return latencyWeightPerMilli * latencyMillis + energyWeightPerMillijoule * energyMillijoules
                        + bytesWeightPerKilobyte * bytes / 1000.0 - accuracyWeightPerPoint * acc * 100;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.WEIGHTED ? "weighted:" + latencyWeightPerMilli + "," + energyWeightPerMillijoule + ","
                + bytesWeightPerKilobyte + "," + accuracyWeightPerPoint : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
