package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats physical quantities written with an explicit unit, as they appear in profiles
 * and on the command line ({@code 5mbit}, {@code 625kB/s}, {@code 40ms}, {@code 1.2W}).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>A quantity is a decimal number (optional sign, fraction, exponent), optional spaces, then a
 *       unit. A bare number is an error that names the kind of unit expected: profiles never guess
 *       whether {@code 5} means bits, bytes, seconds or milliseconds.</li>
 *   <li>Symbols are case-sensitive ({@code mW} is a milliwatt; {@code mw} is an error that proposes
 *       {@code mW}). Decimal prefixes are {@code k} (10^3), {@code M} (10^6), {@code G} (10^9), binary
 *       prefixes {@code Ki}, {@code Mi}, {@code Gi} (2^10, 2^20, 2^30).</li>
 *   <li>Bandwidth: lowercase {@code b} is a bit, uppercase {@code B} is a byte. Accepted: the word
 *       spelled out with any prefix case ({@code 5mbit}, {@code 5Mbit/s}, {@code 2kbits},
 *       {@code 1MByte/s}); the symbol with a correctly cased prefix and {@code /s} ({@code 5Mb/s},
 *       {@code 625kB/s}, {@code 1MiB/s}); and the telecom spelling {@code 5Mbps}/{@code 100kbps}/
 *       {@code 1Gbps}, which is always bits. The {@code /s} may be left out. Everything else that looks
 *       like a rate is ambiguous and rejected with the two unambiguous spellings: {@code 5mbps}
 *       (sloppy case: megabits or megabytes?), {@code 5MBps}, {@code 5Kbps}.</li>
 *   <li>Time: {@code ns}, {@code us}/{@code µs}, {@code ms}, {@code s}, {@code min}, {@code h}.
 *       Power: {@code uW}, {@code mW}, {@code W}, {@code kW}. Energy: {@code uJ}, {@code mJ},
 *       {@code J}, {@code kJ}, {@code mWh}, {@code Wh}. Frequency: {@code Hz}, {@code kHz}, {@code MHz},
 *       {@code GHz}. Memory: {@code B}, {@code kB}, {@code MB}, {@code GB}, {@code TB}, {@code KiB},
 *       {@code MiB}, {@code GiB}, {@code TiB}. Temperature: {@code C} or {@code °C}.</li>
 *   <li>Radio power per throughput (Huang et al.'s alpha): a power unit, a slash, a bandwidth unit,
 *       e.g. {@code 438.39mW/Mbps} or {@code 0.43839W/Mbit/s}.</li>
 *   <li>Compute throughput (cost models): multiply-accumulates per second, {@code MAC/s},
 *       {@code kMAC/s}, {@code MMAC/s}, {@code GMAC/s}, {@code TMAC/s}, e.g. {@code 2.61GMAC/s}.
 *       Percentages (a cost model's error): a number and {@code %}, e.g. {@code 4.2%}.</li>
 *   <li>Frequencies and memory sizes must come out as whole hertz and whole bytes.</li>
 * </ul>
 *
 * <p>Parse methods throw {@link IllegalArgumentException} with a message that quotes the input and
 * says what to write instead; they never print a path, so callers (the profile loader, the CLI) can
 * prefix their own context. Format methods produce text the parse methods read back to the identical
 * {@code double}/{@code long}. Thread-safe: no state.
 */
public final class Units {

    private static final Pattern QUANTITY =
            Pattern.compile("^([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*(.*)$");
    /** The word spelled out: prefix case does not matter because "bit"/"byte" cannot be misread. */
    private static final Pattern SPELLED_RATE =
            Pattern.compile("^([kmg]i?)?(bit|bits|byte|bytes)(/s|ps)?$");
    /** Symbols with a correctly cased prefix. */
    private static final Pattern SYMBOL_RATE = Pattern.compile("^(k|M|G|Ki|Mi|Gi)?(b|B)(/s|ps)?$");
    /** Anything that looks like a data rate but matched neither rule above. */
    private static final Pattern RATE_LIKE = Pattern.compile("^([a-zA-Z]{1,2})?[bB](/[sS]|[pP][sS])?$");

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
    private static final BigDecimal BILLION = BigDecimal.valueOf(1_000_000_000);

    private static final Map<String, BigDecimal> TIME_MS = table(
            "ns", "0.000001", "us", "0.001", "µs", "0.001", "ms", "1", "s", "1000", "min", "60000", "h", "3600000");
    private static final Map<String, BigDecimal> POWER_W = table(
            "uW", "0.000001", "µW", "0.000001", "mW", "0.001", "W", "1", "kW", "1000");
    private static final Map<String, BigDecimal> ENERGY_J = table(
            "uJ", "0.000001", "µJ", "0.000001", "mJ", "0.001", "J", "1", "kJ", "1000", "mWh", "3.6", "Wh", "3600");
    private static final Map<String, BigDecimal> FREQUENCY_HZ = table(
            "Hz", "1", "kHz", "1000", "MHz", "1000000", "GHz", "1000000000");
    private static final Map<String, BigDecimal> MEMORY_BYTES = table(
            "B", "1", "kB", "1000", "MB", "1000000", "GB", "1000000000", "TB", "1000000000000",
            "KiB", "1024", "MiB", "1048576", "GiB", "1073741824", "TiB", "1099511627776");
    private static final Map<String, BigDecimal> TEMPERATURE_C = table("C", "1", "°C", "1");
    private static final Map<String, BigDecimal> MAC_RATE = table(
            "MAC/s", "1", "kMAC/s", "1000", "MMAC/s", "1000000", "GMAC/s", "1000000000", "TMAC/s", "1000000000000");
    private static final Map<String, BigDecimal> PERCENT = table("%", "1");

    private Units() {
    }

    /** What a quantity measures, for messages. */
    private enum Kind {
        BANDWIDTH("a bandwidth", "'5Mbit/s' or '625kB/s'"),
        TIME("a duration", "'40ms' or '1.5s'"),
        POWER("a power", "'1.2W' or '850mW'"),
        ENERGY("an energy", "'150mJ' or '1.2J'"),
        FREQUENCY("a frequency", "'1.5GHz' or '1800MHz'"),
        MEMORY("a memory size", "'4GiB' or '512MB'"),
        TEMPERATURE("a temperature", "'80C'"),
        POWER_PER_BANDWIDTH("a power per bandwidth", "'438.39mW/Mbps'"),
        MAC_RATE("a compute throughput", "'2.61GMAC/s' or '850MMAC/s'"),
        PERCENTAGE("a percentage", "'4.2%'");

        final String noun;
        final String examples;

        Kind(String noun, String examples) {
            this.noun = noun;
            this.examples = examples;
        }
    }

    // ---------------------------------------------------------------- parsing

    /** Bandwidth in bits per second: {@code 5mbit}, {@code 5Mbit/s}, {@code 5Mbps}, {@code 625kB/s}. */
    public static double bitsPerSecond(String text) {
        Quantity q = split(text, Kind.BANDWIDTH);
        return toDouble(q.number.multiply(bandwidthFactor(q, text)), text, Kind.BANDWIDTH);
    }

    /** Duration in milliseconds: {@code 40ms}, {@code 1.5s}, {@code 250us}. */
    public static double millis(String text) {
        return toDouble(scaled(text, Kind.TIME, TIME_MS), text, Kind.TIME);
    }

    /** Power in watts: {@code 1.2W}, {@code 850mW}. */
    public static double watts(String text) {
        return toDouble(scaled(text, Kind.POWER, POWER_W), text, Kind.POWER);
    }

    /** Power in milliwatts: {@code 1.2W} is 1200, {@code 850mW} is 850. */
    public static double milliwatts(String text) {
        return toDouble(scaled(text, Kind.POWER, POWER_W).multiply(THOUSAND), text, Kind.POWER);
    }

    /** Energy in joules: {@code 1.2J}, {@code 150mJ}, {@code 2Wh}. */
    public static double joules(String text) {
        return toDouble(scaled(text, Kind.ENERGY, ENERGY_J), text, Kind.ENERGY);
    }

    /** Energy in millijoules: {@code 150mJ}, {@code 1.2J}. */
    public static double millijoules(String text) {
        return toDouble(scaled(text, Kind.ENERGY, ENERGY_J).multiply(THOUSAND), text, Kind.ENERGY);
    }

    /** Duration in nanoseconds: {@code 0.38ns}, {@code 15.2us}, {@code 1.5ms}. */
    public static double nanos(String text) {
        return toDouble(scaled(text, Kind.TIME, TIME_MS).multiply(MILLION), text, Kind.TIME);
    }

    /** Compute throughput in multiply-accumulates per second: {@code 2.61GMAC/s}, {@code 850MMAC/s}. */
    public static double macsPerSecond(String text) {
        return toDouble(scaled(text, Kind.MAC_RATE, MAC_RATE), text, Kind.MAC_RATE);
    }

    /** A percentage as its number: {@code 4.2%} is 4.2. */
    public static double percent(String text) {
        return toDouble(scaled(text, Kind.PERCENTAGE, PERCENT), text, Kind.PERCENTAGE);
    }

    /** Frequency in whole hertz: {@code 1.5GHz}, {@code 1800MHz}, {@code 921.6MHz}. */
    public static long hertz(String text) {
        return toLong(scaled(text, Kind.FREQUENCY, FREQUENCY_HZ), text, "hertz");
    }

    /** Memory size in whole bytes: {@code 4GiB}, {@code 512MB}. */
    public static long bytes(String text) {
        return toLong(scaled(text, Kind.MEMORY, MEMORY_BYTES), text, "bytes");
    }

    /** Temperature in degrees Celsius: {@code 80C}, {@code 85°C}. */
    public static double celsius(String text) {
        return toDouble(scaled(text, Kind.TEMPERATURE, TEMPERATURE_C), text, Kind.TEMPERATURE);
    }

    /**
     * Radio power per unit of throughput in milliwatts per Mbit/s (the alpha of Huang et al.'s LTE
     * power model): {@code 438.39mW/Mbps}, {@code 0.43839W/Mbit/s}.
     */
    public static double milliwattsPerMbps(String text) {
        Quantity q = split(text, Kind.POWER_PER_BANDWIDTH);
        int slash = q.unit.indexOf('/');
        if (slash <= 0 || slash == q.unit.length() - 1) {
            throw new IllegalArgumentException("unknown unit '" + q.unit + "' in '" + text.trim()
                    + "': write " + Kind.POWER_PER_BANDWIDTH.noun + " such as " + Kind.POWER_PER_BANDWIDTH.examples);
        }
        String powerUnit = q.unit.substring(0, slash);
        String rateUnit = q.unit.substring(slash + 1);
        BigDecimal watts = unitFactor(powerUnit, text, Kind.POWER, POWER_W);
        BigDecimal bitsPerSecond = bandwidthFactor(new Quantity(BigDecimal.ONE, rateUnit), text);
        BigDecimal milliwattsPerMbps = q.number.multiply(watts).multiply(THOUSAND)
                .multiply(MILLION).divide(bitsPerSecond, MathContext.DECIMAL128);
        return toDouble(milliwattsPerMbps, text, Kind.POWER_PER_BANDWIDTH);
    }

    // ---------------------------------------------------------------- formatting

    /** Formats bits per second with the largest decimal prefix that keeps the number at least 1: {@code 5Mbit/s}. */
    public static String formatBitsPerSecond(double bitsPerSecond) {
        BigDecimal v = exact(bitsPerSecond);
        double a = Math.abs(bitsPerSecond);
        if (a >= 1e9) {
            return plain(v.movePointLeft(9)) + "Gbit/s";
        } else if (a >= 1e6) {
            return plain(v.movePointLeft(6)) + "Mbit/s";
        } else if (a >= 1e3) {
            return plain(v.movePointLeft(3)) + "kbit/s";
        }
        return plain(v) + "bit/s";
    }

    /** Formats milliseconds as {@code 40ms}, or seconds from one second up: {@code 10.12s}. */
    public static String formatMillis(double millis) {
        BigDecimal v = exact(millis);
        return Math.abs(millis) >= 1000 ? plain(v.movePointLeft(3)) + "s" : plain(v) + "ms";
    }

    /**
     * Formats nanoseconds in the largest of ns, us, ms, s that keeps the number at least 1:
     * {@code 0.38ns}, {@code 15.2us}, {@code 1.5ms}.
     */
    public static String formatNanos(double nanos) {
        BigDecimal v = exact(nanos);
        double a = Math.abs(nanos);
        if (a >= 1e9) {
            return plain(v.movePointLeft(9)) + "s";
        } else if (a >= 1e6) {
            return plain(v.movePointLeft(6)) + "ms";
        } else if (a >= 1e3) {
            return plain(v.movePointLeft(3)) + "us";
        }
        return plain(v) + "ns";
    }

    /** Formats MACs per second with the largest prefix that keeps the number at least 1: {@code 2.61GMAC/s}. */
    public static String formatMacsPerSecond(double macsPerSecond) {
        BigDecimal v = exact(macsPerSecond);
        double a = Math.abs(macsPerSecond);
        if (a >= 1e12) {
            return plain(v.movePointLeft(12)) + "TMAC/s";
        } else if (a >= 1e9) {
            return plain(v.movePointLeft(9)) + "GMAC/s";
        } else if (a >= 1e6) {
            return plain(v.movePointLeft(6)) + "MMAC/s";
        } else if (a >= 1e3) {
            return plain(v.movePointLeft(3)) + "kMAC/s";
        }
        return plain(v) + "MAC/s";
    }

    /** Formats a percentage: {@code 4.2%}. */
    public static String formatPercent(double percent) {
        return plain(exact(percent)) + "%";
    }

    /** Formats watts as {@code 1.2W}, or milliwatts below one watt: {@code 850mW}. */
    public static String formatWatts(double watts) {
        BigDecimal v = exact(watts);
        return watts != 0 && Math.abs(watts) < 1 ? plain(v.movePointRight(3)) + "mW" : plain(v) + "W";
    }

    /** Formats milliwatts as {@code 850mW}, or watts from one watt up: {@code 1.06W}. */
    public static String formatMilliwatts(double milliwatts) {
        BigDecimal v = exact(milliwatts);
        return Math.abs(milliwatts) >= 1000 ? plain(v.movePointLeft(3)) + "W" : plain(v) + "mW";
    }

    /** Formats joules as {@code 1.2J}, or millijoules below one joule: {@code 150mJ}. */
    public static String formatJoules(double joules) {
        BigDecimal v = exact(joules);
        return joules != 0 && Math.abs(joules) < 1 ? plain(v.movePointRight(3)) + "mJ" : plain(v) + "J";
    }

    /**
     * Formats hertz as {@code 1.5GHz} when that takes at most two decimals, else in MHz or below:
     * {@code 1785.6MHz}, {@code 921.6MHz}.
     */
    public static String formatHertz(long hertz) {
        BigDecimal v = BigDecimal.valueOf(hertz);
        long a = Math.abs(hertz);
        if (a >= 1_000_000_000L && hertz % 10_000_000L == 0) {
            return plain(v.movePointLeft(9)) + "GHz";
        } else if (a >= 1_000_000L) {
            return plain(v.movePointLeft(6)) + "MHz";
        } else if (a >= 1_000L) {
            return plain(v.movePointLeft(3)) + "kHz";
        }
        return hertz + "Hz";
    }

    /** Formats bytes in the shortest exact binary or decimal unit: {@code 4GiB}, {@code 512MB}. */
    public static String formatBytes(long bytes) {
        String best = bytes + "B";
        for (Map.Entry<String, BigDecimal> e : MEMORY_BYTES.entrySet()) {
            BigDecimal q = BigDecimal.valueOf(bytes).divide(e.getValue(), MathContext.DECIMAL128);
            if (q.abs().compareTo(BigDecimal.ONE) < 0 || q.multiply(e.getValue()).compareTo(BigDecimal.valueOf(bytes)) != 0) {
                continue;
            }
            String candidate = plain(q) + e.getKey();
            if (candidate.length() < best.length()
                    || (candidate.length() == best.length() && !candidate.contains("."))) {
                best = candidate;
            }
        }
        return best;
    }

    /** Formats degrees Celsius: {@code 80C}. */
    public static String formatCelsius(double celsius) {
        return plain(exact(celsius)) + "C";
    }

    /** Formats milliwatts per Mbit/s: {@code 438.39mW/Mbps}. */
    public static String formatMilliwattsPerMbps(double milliwattsPerMbps) {
        return plain(exact(milliwattsPerMbps)) + "mW/Mbps";
    }

    // ---------------------------------------------------------------- internals

    private record Quantity(BigDecimal number, String unit) {
    }

    private static Quantity split(String text, Kind kind) {
        if (text == null || Backports.isBlank(text)) {
            throw new IllegalArgumentException("expected " + kind.noun + " such as " + kind.examples + ", was empty");
        }
        String t = text.trim();
        Matcher m = QUANTITY.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not " + kind.noun + ": '" + t + "'; write a number and a unit such as "
                    + kind.examples);
        }
        String unit = m.group(2);
        if (unit.isEmpty()) {
            throw new IllegalArgumentException("missing unit in '" + t + "': write " + kind.noun + " such as "
                    + kind.examples);
        }
        return new Quantity(new BigDecimal(m.group(1)), unit);
    }

    private static BigDecimal scaled(String text, Kind kind, Map<String, BigDecimal> units) {
        Quantity q = split(text, kind);
        return q.number.multiply(unitFactor(q.unit, text, kind, units));
    }

    private static BigDecimal unitFactor(String unit, String text, Kind kind, Map<String, BigDecimal> units) {
        BigDecimal factor = units.get(unit);
        if (factor != null) {
            return factor;
        }
        for (String known : units.keySet()) {
            if (known.equalsIgnoreCase(unit)) {
                throw new IllegalArgumentException("unit '" + unit + "' in '" + text.trim()
                        + "' is case-sensitive: did you mean '" + known + "'?");
            }
        }
        throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + text.trim() + "': write "
                + kind.noun + " in " + String.join(", ", distinct(units)));
    }

    private static BigDecimal bandwidthFactor(Quantity q, String text) {
        String unit = q.unit;
        Matcher spelled = SPELLED_RATE.matcher(unit.toLowerCase(Locale.ROOT));
        if (spelled.matches()) {
            BigDecimal prefix = prefixFactor(spelled.group(1));
            boolean bits = spelled.group(2).startsWith("bit");
            return bits ? prefix : prefix.multiply(BigDecimal.valueOf(8));
        }
        Matcher symbol = SYMBOL_RATE.matcher(unit);
        if (symbol.matches()) {
            boolean bits = symbol.group(2).equals("b");
            // "ps" is the telecom spelling of bits per second; "MBps" is too easily a typo of "Mbps".
            if (bits || !"ps".equals(symbol.group(3))) {
                BigDecimal prefix = prefixFactor(symbol.group(1) == null ? null : symbol.group(1).toLowerCase(Locale.ROOT));
                return bits ? prefix : prefix.multiply(BigDecimal.valueOf(8));
            }
        }
        Matcher rateLike = RATE_LIKE.matcher(unit);
        if (rateLike.matches()) {
            String number = plain(q.number);
            String prefix = canonicalPrefix(rateLike.group(1) == null ? "" : rateLike.group(1));
            throw new IllegalArgumentException("ambiguous unit '" + unit + "' in '" + text.trim() + "': write '"
                    + number + prefix + "bit/s' for " + prefixWord(prefix) + "bits or '" + number + prefix
                    + "B/s' for " + prefixWord(prefix) + "bytes per second");
        }
        throw new IllegalArgumentException("unknown unit '" + unit + "' in '" + text.trim()
                + "': write a bandwidth in bit/s or B/s with an optional prefix k, M, G, Ki, Mi, Gi, such as "
                + Kind.BANDWIDTH.examples);
    }

    private static String canonicalPrefix(String prefix) {
        switch (prefix.toLowerCase(Locale.ROOT)) {
            case "":
                return "";
            case "k":
                return "k";
            case "m":
                return "M";
            case "g":
                return "G";
            case "ki":
                return "Ki";
            case "mi":
                return "Mi";
            case "gi":
                return "Gi";
            default:
                return prefix;
        }
    }

    private static String prefixWord(String prefix) {
        switch (prefix) {
            case "k":
                return "kilo";
            case "M":
                return "mega";
            case "G":
                return "giga";
            case "Ki":
                return "kibi";
            case "Mi":
                return "mebi";
            case "Gi":
                return "gibi";
            default:
                return "";
        }
    }

    private static BigDecimal prefixFactor(String lowerPrefix) {
        if (lowerPrefix == null) {
            return BigDecimal.ONE;
        }
        switch (lowerPrefix) {
            case "k":
                return THOUSAND;
            case "m":
                return MILLION;
            case "g":
                return BILLION;
            case "ki":
                return BigDecimal.valueOf(1L << 10);
            case "mi":
                return BigDecimal.valueOf(1L << 20);
            case "gi":
                return BigDecimal.valueOf(1L << 30);
            default:
                throw new IllegalStateException("prefix " + lowerPrefix);
        }
    }

    private static double toDouble(BigDecimal value, String text, Kind kind) {
        // Through the decimal string: Double.parseDouble rounds correctly, so formatted values read back exactly.
        double d = Double.parseDouble(value.toString());
        if (Double.isInfinite(d)) {
            throw new IllegalArgumentException("out of range: '" + text.trim() + "' is too large for " + kind.noun);
        }
        return d;
    }

    private static long toLong(BigDecimal value, String text, String unitWord) {
        try {
            return value.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            if (value.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("'" + text.trim() + "' is not a whole number of " + unitWord);
            }
            throw new IllegalArgumentException("out of range: '" + text.trim() + "' is too large");
        }
    }

    private static BigDecimal exact(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("cannot format " + value);
        }
        return new BigDecimal(Double.toString(value));
    }

    private static String plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        if (s.signum() == 0) {
            return "0";
        }
        return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
    }

    private static Map<String, BigDecimal> table(String... pairs) {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], new BigDecimal(pairs[i + 1]));
        }
        return m;
    }

    private static List<String> distinct(Map<String, BigDecimal> units) {
        List<String> names = new ArrayList<>();
        for (String k : units.keySet()) {
            if (!k.startsWith("µ") && !k.startsWith("°")) {
                names.add(k);
            }
        }
        return names;
    }
}
