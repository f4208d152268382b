package io.edgesplit.router;

/** The budgets a plan can violate; a plan's violations are a bit mask of {@link #bit()}s. */
public enum Budget {
    DEADLINE,
    ENERGY,
    BYTES,
    ACCURACY,
    PRIVACY;

    /** This budget's bit in a violation mask. */
    public int bit() {
        return 1 << ordinal();
    }

    /** Names of the budgets set in {@code mask}, e.g. "deadline, energy". */
    public static String describe(int mask) {
        StringBuilder sb = new StringBuilder();
        for (Budget b : values()) {
            if ((mask & b.bit()) != 0) {
                sb.append(sb.length() == 0 ? "" : ", ").append(b.name().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sb.toString();
    }
}
