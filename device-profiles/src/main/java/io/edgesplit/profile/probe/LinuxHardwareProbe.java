package io.edgesplit.profile.probe;

import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.internal.Backports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the hardware of a Linux machine from files any user may read: /proc/cpuinfo,
 * /sys/devices/system/cpu (online cores, cpufreq limits and current frequency), /proc/meminfo,
 * /proc/device-tree (board model and SoC on ARM boards), /sys/class/thermal and
 * /sys/class/power_supply. The file-system root is injectable so tests run against fake trees.
 * Unreadable optional files are skipped; only CPU count and memory are required. Thread-safe.
 */
public final class LinuxHardwareProbe implements HardwareProbe {

    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
    private static final Pattern ZONE_DIR = Pattern.compile("thermal_zone(\\d+)");
    private static final Pattern TRIP_TYPE = Pattern.compile("trip_point_(\\d+)_type");
    private static final Pattern MEM_TOTAL = Pattern.compile("MemTotal:\\s+(\\d+)\\s*kB");
    /** Kernel attributes are a few kB; /proc/cpuinfo of a large server is the biggest, well under this. */
    private static final long MAX_ATTRIBUTE_BYTES = 4L << 20;

    private final Path root;
    private final Map<String, String> os;

    /** Probes this machine: root {@code /}, OS properties from the JVM. */
    public LinuxHardwareProbe() {
        this(Paths.get("/"));
    }

    /** Probes the tree under {@code root} (e.g. a copy of /proc and /sys); OS properties from the JVM. */
    public LinuxHardwareProbe(Path root) {
        this(root, System.getProperty("os.name", "Linux"), System.getProperty("os.version", ""),
                System.getProperty("os.arch", ""));
    }

    /** Probes the tree under {@code root} and reports the given OS name, version and architecture. */
    public LinuxHardwareProbe(Path root, String osName, String osVersion, String osArch) {
        this.root = Objects.requireNonNull(root, "root");
        Map<String, String> m = new LinkedHashMap<>();
        m.put(IdentityKeys.OS_NAME, Objects.requireNonNull(osName, "osName"));
        m.put(IdentityKeys.OS_VERSION, Objects.requireNonNull(osVersion, "osVersion"));
        m.put(IdentityKeys.OS_ARCH, Objects.requireNonNull(osArch, "osArch"));
        this.os = m;
    }

    @Override
    public HardwareReport probe() throws IOException {
        Map<String, String> identity = new LinkedHashMap<>();
        os.forEach((k, v) -> {
            if (!Backports.isBlank(v)) {
                identity.put(k, v);
            }
        });
        String cpuinfo = read(root.resolve("proc/cpuinfo")).orElse("");
        for (String field : new String[] {"model name", "Model", "Hardware"}) {
            Optional<String> model = firstField(cpuinfo, field);
            if (model.isPresent()) {
                identity.put(IdentityKeys.CPU_MODEL, model.get());
                break;
            }
        }
        read(root.resolve("proc/device-tree/model")).map(LinuxHardwareProbe::stripNul)
                .filter(s -> !Backports.isBlank(s))
                .ifPresent(v -> identity.put(IdentityKeys.DEVICE_MODEL, IdentityKeys.normalize(v)));
        read(root.resolve("proc/device-tree/compatible")).flatMap(LinuxHardwareProbe::socFromCompatible)
                .ifPresent(v -> identity.put(IdentityKeys.SOC_MODEL, v));

        Map<String, Long> current = new LinkedHashMap<>();
        List<CpuCluster> cpus = cpuClusters(cpuinfo, current);
        long memory = memoryBytes();
        return new HardwareReport(identity, cpus, current, memory, thermalZones(), batteries());
    }

    // ------------------------------------------------------------------ CPU

    private List<CpuCluster> cpuClusters(String cpuinfo, Map<String, Long> currentOut) throws IOException {
        Path cpuDir = root.resolve("sys/devices/system/cpu");
        List<Integer> online = read(cpuDir.resolve("online")).map(LinuxHardwareProbe::parseRanges)
                .orElse(Collections.emptyList());
        if (online.isEmpty()) {
            online = listIndexed(cpuDir, CPU_DIR);
        }
        if (online.isEmpty()) {
            List<Integer> fromCpuinfo = new ArrayList<>();
            for (int i = 0; i < countFields(cpuinfo, "processor"); i++) {
                fromCpuinfo.add(i);
            }
            online = fromCpuinfo;
        }
        if (online.isEmpty()) {
            throw new IOException("cannot count CPU cores: no " + cpuDir.resolve("online") + ", no cpuN directories and no "
                    + "processor lines in " + root.resolve("proc/cpuinfo"));
        }
        // Group cores by their frequency range: one group per big.LITTLE cluster, one for a homogeneous CPU.
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, long[]> ranges = new LinkedHashMap<>();
        Map<Integer, Long> currentByCpu = new TreeMap<>();
        for (int cpu : online) {
            Path freq = cpuDir.resolve("cpu" + cpu).resolve("cpufreq");
            long max = readKhz(freq.resolve("cpuinfo_max_freq"));
            long min = readKhz(freq.resolve("cpuinfo_min_freq"));
            long cur = readKhz(freq.resolve("scaling_cur_freq"));
            if (cur > 0) {
                currentByCpu.put(cpu, cur);
            }
            String key = max + "/" + min;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(cpu);
            ranges.putIfAbsent(key, new long[] {max, min});
        }
        OptionalLong cpuinfoMhz = maxCpuinfoMhz(cpuinfo);
        List<CpuCluster> clusters = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            long[] r = ranges.get(g.getKey());
            String name = clusterName(members, index++);
            // Without cpufreq (VMs, some ARM kernels) the only figure is /proc/cpuinfo's "cpu MHz", the
            // current clock on x86; it stands in for the maximum rather than leaving the frequency blank.
            OptionalLong max = r[0] > 0 ? OptionalLong.of(r[0]) : cpuinfoMhz;
            OptionalLong min = r[1] > 0 && (!max.isPresent() || r[1] <= max.getAsLong()) ? OptionalLong.of(r[1])
                    : OptionalLong.empty();
            clusters.add(new CpuCluster(name, members.size(), max, min));
            Long cur = currentByCpu.get(members.get(0));
            if (cur != null) {
                currentOut.put(name, cur);
            }
        }
        return clusters;
    }

    private static String clusterName(List<Integer> members, int index) {
        int first = members.get(0);
        int last = members.get(members.size() - 1);
        boolean contiguous = last - first + 1 == members.size();
        if (!contiguous) {
            return "cluster" + index;
        }
        return first == last ? "cpu" + first : "cpu" + first + "-" + last;
    }

    /** Parses the kernel's CPU list syntax: {@code 0-3,5,7-8}. */
    static List<Integer> parseRanges(String text) {
        List<Integer> out = new ArrayList<>();
        String t = text.trim();
        if (t.isEmpty()) {
            return out;
        }
        for (String part : t.split(",")) {
            String[] ab = part.trim().split("-");
            try {
                int a = Integer.parseInt(ab[0].trim());
                int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
                for (int i = a; i <= b && out.size() < 4096; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                return Collections.emptyList();
            }
        }
        return out;
    }

    private long readKhz(Path file) {
        return read(file).map(String::trim).filter(s -> s.matches("\\d{1,12}")).map(s -> Long.parseLong(s) * 1000L)
                .orElse(0L);
    }

    private static OptionalLong maxCpuinfoMhz(String cpuinfo) {
        double best = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("cpu MHz")) {
                try {
                    best = Math.max(best, Double.parseDouble(line.substring(colon + 1).trim()));
                } catch (NumberFormatException e) {
                    // ignore a malformed line; others may be fine
                }
            }
        }
        return best > 0 ? OptionalLong.of(Math.round(best * 1000) * 1000L) : OptionalLong.empty();
    }

    // ------------------------------------------------------------------ memory

    private long memoryBytes() throws IOException {
        Path meminfo = root.resolve("proc/meminfo");
        String text = read(meminfo).orElseThrow(() -> new IOException("cannot read " + meminfo));
        Matcher m = MEM_TOTAL.matcher(text);
        if (!m.find()) {
            throw new IOException(meminfo + ": no MemTotal line");
        }
        return Long.parseLong(m.group(1)) * 1024L; // the kernel's "kB" is KiB
    }

    // ------------------------------------------------------------------ thermal and power supply

    private List<ThermalZone> thermalZones() {
        Path dir = root.resolve("sys/class/thermal");
        List<ThermalZone> zones = new ArrayList<>();
        for (int i : listIndexed(dir, ZONE_DIR)) {
            Path z = dir.resolve("thermal_zone" + i);
            String type = read(z.resolve("type")).map(String::trim).orElse("unknown");
            OptionalDouble temp = milliCelsius(z.resolve("temp"));
            OptionalDouble passive = OptionalDouble.empty();
            OptionalDouble critical = OptionalDouble.empty();
            for (int t : listIndexed(z, TRIP_TYPE)) {
                String tripType = read(z.resolve("trip_point_" + t + "_type")).map(String::trim).orElse("");
                OptionalDouble tripTemp = milliCelsius(z.resolve("trip_point_" + t + "_temp"));
                if (!tripTemp.isPresent() || tripTemp.getAsDouble() <= 0) {
                    continue; // disabled trip points read as 0 or negative
                }
                if (tripType.equals("passive")) {
                    passive = min(passive, tripTemp);
                } else if (tripType.equals("critical") || tripType.equals("hot")) {
                    critical = min(critical, tripTemp);
                }
            }
            zones.add(new ThermalZone("thermal_zone" + i, type, temp, passive, critical));
        }
        return zones;
    }

    private List<BatteryStatus> batteries() {
        Path dir = root.resolve("sys/class/power_supply");
        List<BatteryStatus> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        List<Path> supplies = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(supplies::add);
        } catch (IOException e) {
            return out;
        }
        supplies.sort(null);
        for (Path s : supplies) {
            if (!read(s.resolve("type")).map(String::trim).orElse("").equals("Battery")) {
                continue;
            }
            OptionalInt capacity = read(s.resolve("capacity")).map(String::trim).filter(v -> v.matches("\\d{1,3}"))
                    .map(Integer::parseInt).filter(v -> v <= 100).map(OptionalInt::of).orElse(OptionalInt.empty());
            Optional<String> status = read(s.resolve("status")).map(String::trim).filter(v -> !v.isEmpty());
            OptionalDouble temp = read(s.resolve("temp")).map(String::trim).filter(v -> v.matches("-?\\d{1,6}"))
                    .map(v -> OptionalDouble.of(Integer.parseInt(v) / 10.0)).orElse(OptionalDouble.empty());
            out.add(new BatteryStatus(s.getFileName().toString(), capacity, status, temp));
        }
        return out;
    }

    private OptionalDouble milliCelsius(Path file) {
        return read(file).map(String::trim).filter(v -> v.matches("-?\\d{1,9}"))
                .map(v -> OptionalDouble.of(Long.parseLong(v) / 1000.0)).orElse(OptionalDouble.empty());
    }

    private static OptionalDouble min(OptionalDouble a, OptionalDouble b) {
        return !a.isPresent() || b.getAsDouble() < a.getAsDouble() ? b : a;
    }

    // ------------------------------------------------------------------ helpers

    /** The text of a small kernel attribute, or empty when it is missing or unreadable; reads at most 4 MiB. */
    private static Optional<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        // /proc and /sys report sizes of 0 or 4096 whatever the content: bound the read, not the size.
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(new String(Backports.readNBytes(in, (int) MAX_ATTRIBUTE_BYTES), StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static List<Integer> listIndexed(Path dir, Pattern name) {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Matcher m = name.matcher(p.getFileName().toString());
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private static Optional<String> firstField(String cpuinfo, String field) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                String v = line.substring(colon + 1).trim();
                if (!v.isEmpty()) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    private static int countFields(String cpuinfo, String field) {
        int n = 0;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                n++;
            }
        }
        return n;
    }

    private static String stripNul(String s) {
        return s.replace("\u0000", "").trim();
    }

    /** The SoC from the device tree's compatible list: its last entry, vendor prefix removed ("brcm,bcm2711"). */
    static Optional<String> socFromCompatible(String compatible) {
        String[] entries = compatible.split("\u0000");
        for (int i = entries.length - 1; i >= 0; i--) {
            String e = entries[i].trim();
            if (!e.isEmpty()) {
                int comma = e.indexOf(',');
                return Optional.of(IdentityKeys.normalize(comma >= 0 ? e.substring(comma + 1) : e));
            }
        }
        return Optional.empty();
    }
}
