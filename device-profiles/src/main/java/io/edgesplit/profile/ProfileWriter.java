package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a {@link DeviceProfile} as profile YAML that {@link DeviceProfiles#parse} reads back equal:
 * format version header, explicit units, radio presets by name, segment latencies grouped by
 * segment sha256, cost models per thread count and delegate. Used by the on-device profiler to record measurements and by the hardware probe
 * to emit a draft. Stateless and thread-safe.
 */
public final class ProfileWriter {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*");
    /** Words YAML 1.1 or 1.2 readers may take for null or booleans: always quoted. */
    private static final Set<String> RESERVED = Backports.setOf("null", "Null", "NULL", "true", "True", "TRUE",
            "false", "False", "FALSE", "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON",
            "off", "Off", "OFF");

    private ProfileWriter() {
    }

    /** The profile as YAML text. */
    public static String toYaml(DeviceProfile p) {
        StringBuilder y = new StringBuilder(1024);
        y.append("# EdgeSplit profile, format version ").append(DeviceProfile.FORMAT_VERSION)
                .append(". Format: io/edgesplit/profile/device-profile.schema.json\n");
        y.append("formatVersion: ").append(DeviceProfile.FORMAT_VERSION).append('\n');
        y.append("kind: ").append(p.kind().yamlName()).append('\n');
        y.append("id: ").append(scalar(p.id())).append('\n');
        p.name().ifPresent(n -> y.append("name: ").append(quoted(n)).append('\n'));
        if (!p.identity().isEmpty()) {
            y.append("identity:\n");
            for (String key : IdentityKeys.ALL) {
                String v = p.identity().get(key);
                if (v != null) {
                    y.append("  ").append(key).append(": ").append(scalar(v)).append('\n');
                }
            }
        }
        ComputeSpec c = p.compute();
        y.append("compute:\n  cpus:\n");
        for (CpuCluster cpu : c.cpus()) {
            y.append("    - name: ").append(scalar(cpu.name())).append('\n');
            y.append("      cores: ").append(cpu.cores()).append('\n');
            cpu.maxFrequencyHz().ifPresent(f -> y.append("      maxFrequency: ").append(Units.formatHertz(f)).append('\n'));
            cpu.minFrequencyHz().ifPresent(f -> y.append("      minFrequency: ").append(Units.formatHertz(f)).append('\n'));
        }
        y.append("  threads: ").append(c.threads()).append('\n');
        y.append("  delegate: ").append(c.delegate().yamlName()).append('\n');
        if (!c.gpus().isEmpty()) {
            y.append("  gpus:\n");
            for (GpuSpec g : c.gpus()) {
                y.append("    - name: ").append(scalar(g.name())).append('\n');
                g.cores().ifPresent(n -> y.append("      cores: ").append(n).append('\n'));
                g.maxFrequencyHz().ifPresent(f -> y.append("      maxFrequency: ").append(Units.formatHertz(f)).append('\n'));
                g.memoryBytes().ifPresent(m -> y.append("      memory: ").append(Units.formatBytes(m)).append('\n'));
            }
        }
        y.append("memory: ").append(Units.formatBytes(p.memoryBytes())).append('\n');
        p.power().ifPresent(pw -> {
            y.append("power:\n");
            y.append("  idle: ").append(Units.formatWatts(pw.idleWatts())).append('\n');
            y.append("  active: ").append(Units.formatWatts(pw.activeWatts())).append('\n');
            if (!pw.perCoreWatts().isEmpty()) {
                y.append("  perCore:  # extra power of one busy core at its top frequency\n");
                pw.perCoreWatts().forEach((k, v) ->
                        y.append("    ").append(scalar(k)).append(": ").append(Units.formatWatts(v)).append('\n'));
            }
        });
        if (!p.links().isEmpty()) {
            y.append("links:\n");
            for (LinkProfile l : p.links().values()) {
                y.append("  ").append(scalar(l.name())).append(":\n");
                y.append("    uplink: ").append(Units.formatBitsPerSecond(l.uplinkBitsPerSecond())).append('\n');
                y.append("    downlink: ").append(Units.formatBitsPerSecond(l.downlinkBitsPerSecond())).append('\n');
                y.append("    rtt: ").append(Units.formatMillis(l.rttMillis())).append('\n');
                l.radio().ifPresent(r -> writeRadio(y, r));
            }
        }
        p.thermal().ifPresent(t -> {
            y.append("thermal:\n");
            t.throttleCelsius().ifPresent(v -> y.append("  throttle: ").append(Units.formatCelsius(v)).append('\n'));
            t.criticalCelsius().ifPresent(v -> y.append("  critical: ").append(Units.formatCelsius(v)).append('\n'));
        });
        if (!p.segmentLatencies().isEmpty()) {
            y.append("segmentLatencies:  # segment sha256 -> measurements per thread count and delegate\n");
            Map<String, List<SegmentLatency>> bySha = new LinkedHashMap<>();
            for (SegmentLatency s : p.segmentLatencies()) {
                bySha.computeIfAbsent(s.segmentSha256(), k -> new ArrayList<>()).add(s);
            }
            bySha.forEach((sha, list) -> {
                y.append("  ").append(quoted(sha)).append(":\n");
                for (SegmentLatency s : list) {
                    y.append("    - threads: ").append(s.threads()).append('\n');
                    y.append("      delegate: ").append(s.delegate().yamlName()).append('\n');
                    y.append("      median: ").append(Units.formatMillis(s.medianMillis())).append('\n');
                    y.append("      p95: ").append(Units.formatMillis(s.p95Millis())).append('\n');
                    y.append("      runs: ").append(s.runs()).append('\n');
                }
            });
        }
        if (!p.costModels().isEmpty()) {
            y.append("costModels:  # latency = perInvoke + sum over operators of perMac x MACs + perByte x bytes + perOperator\n");
            for (CostModel m : p.costModels()) {
                y.append("  - threads: ").append(m.threads()).append('\n');
                y.append("    delegate: ").append(m.delegate().yamlName()).append('\n');
                y.append("    throughput: ").append(Units.formatMacsPerSecond(m.macsPerSecond())).append('\n');
                y.append("    perInvoke: ").append(Units.formatNanos(m.perInvokeNanos())).append('\n');
                m.fittedSegments().ifPresent(n -> y.append("    fittedSegments: ").append(n).append('\n'));
                m.heldOutErrorPercent().ifPresent(e -> y.append("    heldOutError: ").append(Units.formatPercent(e))
                        .append('\n'));
                if (m.hasOperatorCosts()) {
                    y.append("    operators:\n");
                    m.operators().forEach((type, cost) -> {
                        y.append("      ").append(scalar(type)).append(":\n");
                        y.append("        perMac: ").append(Units.formatNanos(cost.nanosPerMac())).append('\n');
                        y.append("        perByte: ").append(Units.formatNanos(cost.nanosPerByte())).append('\n');
                        y.append("        perOperator: ").append(Units.formatNanos(cost.nanosPerOperator())).append('\n');
                    });
                }
            }
        }
        return y.toString();
    }

    /**
     * Writes the profile to {@code file} through a temporary file in the same directory and a move,
     * so a reader never sees half a profile.
     */
    public static void write(DeviceProfile profile, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, toYaml(profile).getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeRadio(StringBuilder y, RadioPowerModel r) {
        y.append("    radio:\n");
        if (r.presetName().isPresent()) {
            y.append("      preset: ").append(r.presetName().get()).append('\n');
            return;
        }
        y.append("      alphaUp: ").append(Units.formatMilliwattsPerMbps(r.alphaUpMilliwattsPerMbps())).append('\n');
        y.append("      alphaDown: ").append(Units.formatMilliwattsPerMbps(r.alphaDownMilliwattsPerMbps())).append('\n');
        y.append("      beta: ").append(Units.formatMilliwatts(r.betaMilliwatts())).append('\n');
        y.append("      promotionPower: ").append(Units.formatMilliwatts(r.promotionPowerMilliwatts())).append('\n');
        y.append("      promotionTime: ").append(Units.formatMillis(r.promotionTimeMillis())).append('\n');
        y.append("      tailPower: ").append(Units.formatMilliwatts(r.tailPowerMilliwatts())).append('\n');
        y.append("      tailTime: ").append(Units.formatMillis(r.tailTimeMillis())).append('\n');
    }

    /** Plain when it cannot be misread, double-quoted otherwise. */
    static String scalar(String s) {
        return PLAIN.matcher(s).matches() && !RESERVED.contains(s) ? s : quoted(s);
    }

    /** A YAML double-quoted scalar (JSON escapes are valid YAML). */
    static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                default:
                    if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch <= 0x9f) || ch == '\u2028' || ch == '\u2029'
                            || ch == '\ufeff') {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
            }
        }
        return b.append('"').toString();
    }
}
