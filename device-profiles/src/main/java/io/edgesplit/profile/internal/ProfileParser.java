package io.edgesplit.profile.internal;

import io.edgesplit.profile.ComputeSpec;
import io.edgesplit.profile.CostModel;
import io.edgesplit.profile.CpuCluster;
import io.edgesplit.profile.Delegate;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.GpuSpec;
import io.edgesplit.profile.IdentityKeys;
import io.edgesplit.profile.LinkProfile;
import io.edgesplit.profile.OperatorCost;
import io.edgesplit.profile.PowerModel;
import io.edgesplit.profile.ProfileError;
import io.edgesplit.profile.ProfileException;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.profile.RadioPowerModel;
import io.edgesplit.profile.SegmentLatency;
import io.edgesplit.profile.ThermalLimits;
import io.edgesplit.profile.Units;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads profile YAML into a {@link DeviceProfile}, checking every rule and collecting every problem
 * before failing, so a profile is either returned whole or not at all. Works on SnakeYAML Engine's
 * node tree (not on constructed Java objects) because the nodes carry the line and column each
 * message needs, and because duplicate keys must be reported in the same form as every other error.
 * Stateless and thread-safe; each call has its own error list.
 */
public final class ProfileParser {

    /** Keys of each mapping; the JSON Schema test checks the schema declares exactly these. */
    public static final List<String> TOP_KEYS = Backports.listOf("formatVersion", "kind", "id", "name", "identity",
            "compute", "memory", "power", "links", "thermal", "segmentLatencies", "costModels");
    public static final List<String> COMPUTE_KEYS = Backports.listOf("cpus", "threads", "delegate", "gpus");
    public static final List<String> CPU_KEYS = Backports.listOf("name", "cores", "maxFrequency", "minFrequency");
    public static final List<String> GPU_KEYS = Backports.listOf("name", "cores", "maxFrequency", "memory");
    public static final List<String> POWER_KEYS = Backports.listOf("idle", "active", "perCore");
    public static final List<String> LINK_KEYS = Backports.listOf("uplink", "downlink", "rtt", "radio");
    public static final List<String> RADIO_KEYS = Backports.listOf("preset", "alphaUp", "alphaDown", "beta",
            "promotionPower", "promotionTime", "tailPower", "tailTime");
    public static final List<String> THERMAL_KEYS = Backports.listOf("throttle", "critical");
    public static final List<String> SEGMENT_KEYS = Backports.listOf("threads", "delegate", "median", "p95", "runs");
    public static final List<String> COST_MODEL_KEYS = Backports.listOf("threads", "delegate", "throughput",
            "perInvoke", "fittedSegments", "heldOutError", "operators");
    public static final List<String> OPERATOR_COST_KEYS = Backports.listOf("perMac", "perByte", "perOperator");

    /** Largest profile accepted, in characters; far above any real profile, small enough to bound parsing. */
    public static final int MAX_CODE_POINTS = 1 << 20;

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");
    private static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");
    private static final Pattern LINK_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final String source;
    private final List<ProfileError> errors = new ArrayList<>();

    private ProfileParser(String source) {
        this.source = source;
    }

    /**
     * Parses and validates one profile.
     *
     * @param yaml the whole document
     * @param source file name or label used in messages
     * @throws ProfileException listing every problem, each with {@code source:line:column: path: reason}
     */
    public static DeviceProfile parse(String yaml, String source) throws ProfileException {
        return new ProfileParser(source).run(yaml);
    }

    private DeviceProfile run(String yaml) throws ProfileException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setCodePointLimit(MAX_CODE_POINTS)
                .setMaxAliasesForCollections(0)
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(yaml);
        } catch (MarkedYamlEngineException e) {
            Mark mark = e.getProblemMark().orElse(e.getContextMark().orElse(null));
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            errors.add(new ProfileError(source, mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1, "", "invalid YAML: " + problem + context));
            throw new ProfileException(errors);
        } catch (YamlEngineException e) {
            throw new ProfileException(source, "invalid YAML: " + e.getMessage(), e);
        }
        if (!root.isPresent() || isNull(root.get())) {
            throw new ProfileException(source, "empty document: a profile needs at least formatVersion, kind, id, "
                    + "compute and memory", null);
        }
        if (!rejectAnchors(root.get(), "", Collections.newSetFromMap(new IdentityHashMap<>()))) {
            throw new ProfileException(errors);
        }
        DeviceProfile profile = read(root.get());
        if (!errors.isEmpty() || profile == null) {
            List<ProfileError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt(ProfileError::line).thenComparingInt(ProfileError::column));
            throw new ProfileException(sorted);
        }
        return profile;
    }

    /** Anchors and aliases have no use in a profile and would let one node appear under two paths. */
    private boolean rejectAnchors(Node node, String path, Set<Node> seen) {
        if (!seen.add(node) || node.getAnchor().isPresent()) {
            error(node, path, "anchors and aliases are not supported in profiles; write the value out");
            return false;
        }
        if (node instanceof MappingNode) {
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                String key = t.getKeyNode() instanceof ScalarNode ? ((ScalarNode) t.getKeyNode()).getValue() : "?";
                if (!rejectAnchors(t.getKeyNode(), join(path, key), seen)
                        || !rejectAnchors(t.getValueNode(), join(path, key), seen)) {
                    return false;
                }
            }
        } else if (node instanceof SequenceNode) {
            List<Node> items = ((SequenceNode) node).getValue();
            for (int i = 0; i < items.size(); i++) {
                if (!rejectAnchors(items.get(i), path + "[" + i + "]", seen)) {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ sections

    private DeviceProfile read(Node root) {
        Fields top = fields(root, "", TOP_KEYS);
        if (top == null) {
            return null;
        }
        Integer version = top.required("formatVersion") == null ? null
                : integer(top.node("formatVersion"), "formatVersion", 1, Integer.MAX_VALUE);
        if (version != null && version != DeviceProfile.FORMAT_VERSION) {
            error(top.node("formatVersion"), "formatVersion", "unsupported format version " + version
                    + ": this EdgeSplit reads version " + DeviceProfile.FORMAT_VERSION);
        }
        ProfileKind kind = top.required("kind") == null ? null
                : choice(top.node("kind"), "kind", ProfileKind::fromYamlName,
                        Arrays.stream(ProfileKind.values()).map(ProfileKind::yamlName).collect(Collectors.toList()));
        String id = null;
        if (top.required("id") != null) {
            id = string(top.node("id"), "id");
            if (id != null && !ID.matcher(id).matches()) {
                error(top.node("id"), "id", "must be 1 to 64 lower-case letters, digits and inner dashes, was '" + id + "'");
                id = null;
            }
        }
        String name = null;
        if (top.has("name")) {
            name = string(top.node("name"), "name");
            if (name != null && Backports.isBlank(name)) {
                error(top.node("name"), "name", "must not be blank");
                name = null;
            }
        }
        Map<String, String> identity = top.has("identity") ? identity(top.node("identity")) : Collections.emptyMap();
        ComputeSpec compute = top.required("compute") == null ? null : compute(top.node("compute"));
        Long memory = top.required("memory") == null ? null
                : positiveLong(top.node("memory"), "memory", Units::bytes);
        PowerModel power = top.has("power") ? power(top.node("power"), compute) : null;
        Map<String, LinkProfile> links = top.has("links") ? links(top.node("links")) : Collections.emptyMap();
        ThermalLimits thermal = top.has("thermal") ? thermal(top.node("thermal")) : null;
        List<SegmentLatency> segments = top.has("segmentLatencies") ? segments(top.node("segmentLatencies"))
                : Collections.emptyList();
        List<CostModel> costModels = top.has("costModels") ? costModels(top.node("costModels"))
                : Collections.emptyList();

        if (!errors.isEmpty() || kind == null || id == null || compute == null || memory == null || identity == null
                || links == null || segments == null || costModels == null || version == null) {
            if (errors.isEmpty()) {
                error(root, "", "profile is incomplete");
            }
            return null;
        }
        try {
            DeviceProfile.Builder b = DeviceProfile.builder(kind, id).name(name).compute(compute).memoryBytes(memory)
                    .power(power).thermal(thermal);
            identity.forEach(b::identity);
            links.values().forEach(b::link);
            segments.forEach(b::putSegmentLatency);
            costModels.forEach(b::putCostModel);
            return b.build();
        } catch (IllegalArgumentException e) {
            // Every rule is checked above with its location; reaching here is a bug, but still no half profile.
            error(root, "", e.getMessage());
            return null;
        }
    }

    private Map<String, String> identity(Node node) {
        Fields f = fields(node, "identity", IdentityKeys.ALL);
        if (f == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : f.keys()) {
            // Any scalar: 'tflite.android_sdk_version: 29' is as natural as the quoted form.
            String value = scalarText(f.node(key), "identity." + key, "a string");
            if (value != null) {
                out.put(key, value);
            }
        }
        return out;
    }

    private ComputeSpec compute(Node node) {
        Fields f = fields(node, "compute", COMPUTE_KEYS);
        if (f == null) {
            return null;
        }
        List<CpuCluster> cpus = null;
        if (f.required("cpus") != null) {
            cpus = list(f.node("cpus"), "compute.cpus", this::cpu, true);
        }
        Integer threads = f.has("threads") ? integer(f.node("threads"), "compute.threads", 1, 1024) : null;
        Delegate delegate = f.has("delegate") ? delegate(f.node("delegate"), "compute.delegate") : Delegate.XNNPACK;
        List<GpuSpec> gpus = f.has("gpus") ? list(f.node("gpus"), "compute.gpus", this::gpu, false)
                : Collections.emptyList();
        if (cpus == null || gpus == null || delegate == null || (f.has("threads") && threads == null)) {
            return null;
        }
        Map<String, Node> seen = new LinkedHashMap<>();
        List<Node> cpuNodes = ((SequenceNode) f.node("cpus")).getValue();
        boolean ok = true;
        for (int i = 0; i < cpus.size(); i++) {
            Node previous = seen.putIfAbsent(cpus.get(i).name(), cpuNodes.get(i));
            if (previous != null) {
                error(cpuNodes.get(i), "compute.cpus[" + i + "].name", "duplicate cluster name '" + cpus.get(i).name()
                        + "' (first at line " + line(previous) + ")");
                ok = false;
            }
        }
        int cores = cpus.stream().mapToInt(CpuCluster::cores).sum();
        if (threads != null && threads > cores) {
            error(f.node("threads"), "compute.threads", "must be <= " + cores + ", the total cores in compute.cpus, was "
                    + threads);
            ok = false;
        }
        if (!ok) {
            return null;
        }
        ComputeSpec.Builder b = ComputeSpec.builder().delegate(delegate).threads(threads == null ? 0 : threads);
        cpus.forEach(b::addCpu);
        gpus.forEach(b::addGpu);
        return b.build();
    }

    private CpuCluster cpu(Node node, String path) {
        Fields f = fields(node, path, CPU_KEYS);
        if (f == null) {
            return null;
        }
        String name = f.required("name") == null ? null : string(f.node("name"), path + ".name");
        if (name != null && !CLUSTER_NAME.matcher(name).matches()) {
            error(f.node("name"), path + ".name", "must be 1 to 64 letters, digits, '.', '_' or '-', was '" + name + "'");
            name = null;
        }
        Integer cores = f.required("cores") == null ? null : integer(f.node("cores"), path + ".cores", 1, 1024);
        Long max = f.has("maxFrequency") ? positiveLong(f.node("maxFrequency"), path + ".maxFrequency", Units::hertz) : null;
        Long min = f.has("minFrequency") ? positiveLong(f.node("minFrequency"), path + ".minFrequency", Units::hertz) : null;
        if (max != null && min != null && min > max) {
            error(f.node("minFrequency"), path + ".minFrequency", "must be <= maxFrequency "
                    + Units.formatHertz(max) + ", was " + text(f.node("minFrequency")));
            return null;
        }
        if (name == null || cores == null || (f.has("maxFrequency") && max == null)
                || (f.has("minFrequency") && min == null)) {
            return null;
        }
        return new CpuCluster(name, cores, max == null ? OptionalLong.empty() : OptionalLong.of(max),
                min == null ? OptionalLong.empty() : OptionalLong.of(min));
    }

    private GpuSpec gpu(Node node, String path) {
        Fields f = fields(node, path, GPU_KEYS);
        if (f == null) {
            return null;
        }
        String name = f.required("name") == null ? null : string(f.node("name"), path + ".name");
        if (name != null && Backports.isBlank(name)) {
            error(f.node("name"), path + ".name", "must not be blank");
            name = null;
        }
        Integer cores = f.has("cores") ? integer(f.node("cores"), path + ".cores", 1, 1_000_000) : null;
        Long max = f.has("maxFrequency") ? positiveLong(f.node("maxFrequency"), path + ".maxFrequency", Units::hertz) : null;
        Long memory = f.has("memory") ? positiveLong(f.node("memory"), path + ".memory", Units::bytes) : null;
        if (name == null || (f.has("cores") && cores == null) || (f.has("maxFrequency") && max == null)
                || (f.has("memory") && memory == null)) {
            return null;
        }
        return new GpuSpec(name, cores == null ? OptionalInt.empty() : OptionalInt.of(cores),
                max == null ? OptionalLong.empty() : OptionalLong.of(max),
                memory == null ? OptionalLong.empty() : OptionalLong.of(memory));
    }

    private PowerModel power(Node node, ComputeSpec compute) {
        Fields f = fields(node, "power", POWER_KEYS);
        if (f == null) {
            return null;
        }
        Double idle = f.required("idle") == null ? null
                : quantity(f.node("idle"), "power.idle", Units::watts, Bound.NON_NEGATIVE);
        Double active = f.required("active") == null ? null
                : quantity(f.node("active"), "power.active", Units::watts, Bound.POSITIVE);
        if (idle != null && active != null && active < idle) {
            error(f.node("active"), "power.active", "must be >= power.idle " + text(f.node("idle")) + ", was "
                    + text(f.node("active")));
            active = null;
        }
        Map<String, Double> perCore = new LinkedHashMap<>();
        boolean perCoreOk = true;
        if (f.has("perCore")) {
            Entries entries = entries(f.node("perCore"), "power.perCore");
            if (entries == null) {
                perCoreOk = false;
            } else {
                List<String> clusters = compute == null ? null
                        : compute.cpus().stream().map(CpuCluster::name).collect(Collectors.toList());
                for (Map.Entry<String, NodeTuple> e : entries.map.entrySet()) {
                    String path = "power.perCore." + e.getKey();
                    if (clusters != null && !clusters.contains(e.getKey())) {
                        Optional<String> hint = Suggestions.closest(e.getKey(), clusters);
                        error(e.getValue().getKeyNode(), path, "no CPU cluster named '" + e.getKey() + "' in compute.cpus"
                                + hint.map(h -> ", did you mean '" + h + "'?").orElse("; clusters are " + clusters));
                        perCoreOk = false;
                        continue;
                    }
                    Double w = quantity(e.getValue().getValueNode(), path, Units::watts, Bound.POSITIVE);
                    if (w == null) {
                        perCoreOk = false;
                    } else {
                        perCore.put(e.getKey(), w);
                    }
                }
            }
        }
        if (idle == null || active == null || !perCoreOk) {
            return null;
        }
        PowerModel.Builder b = PowerModel.builder().idleWatts(idle).activeWatts(active);
        perCore.forEach(b::perCoreWatts);
        return b.build();
    }

    private Map<String, LinkProfile> links(Node node) {
        Entries entries = entries(node, "links");
        if (entries == null) {
            return null;
        }
        Map<String, LinkProfile> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, NodeTuple> e : entries.map.entrySet()) {
            String path = "links." + e.getKey();
            if (!LINK_NAME.matcher(e.getKey()).matches()) {
                error(e.getValue().getKeyNode(), path, "link names are 1 to 32 lower-case letters, digits, '_' or '-'");
                ok = false;
                continue;
            }
            LinkProfile link = link(e.getKey(), e.getValue().getValueNode(), path);
            if (link == null) {
                ok = false;
            } else {
                out.put(e.getKey(), link);
            }
        }
        return ok ? out : null;
    }

    private LinkProfile link(String name, Node node, String path) {
        Fields f = fields(node, path, LINK_KEYS);
        if (f == null) {
            return null;
        }
        Double up = f.required("uplink") == null ? null
                : quantity(f.node("uplink"), path + ".uplink", Units::bitsPerSecond, Bound.POSITIVE);
        Double down = f.required("downlink") == null ? null
                : quantity(f.node("downlink"), path + ".downlink", Units::bitsPerSecond, Bound.POSITIVE);
        Double rtt = f.required("rtt") == null ? null : quantity(f.node("rtt"), path + ".rtt", Units::millis, Bound.POSITIVE);
        RadioPowerModel radio = f.has("radio") ? radio(f.node("radio"), path + ".radio") : null;
        if (up == null || down == null || rtt == null || (f.has("radio") && radio == null)) {
            return null;
        }
        return LinkProfile.builder(name).uplinkBitsPerSecond(up).downlinkBitsPerSecond(down).rttMillis(rtt).radio(radio)
                .build();
    }

    private RadioPowerModel radio(Node node, String path) {
        Fields f = fields(node, path, RADIO_KEYS);
        if (f == null) {
            return null;
        }
        RadioPowerModel.Builder b = RadioPowerModel.builder();
        // With a preset key (even a misspelled one) the other parameters are overrides, not requirements.
        boolean preset = f.has("preset");
        boolean ok = true;
        if (preset) {
            RadioPowerModel p = choice(f.node("preset"), path + ".preset", RadioPowerModel::preset,
                    new ArrayList<>(RadioPowerModel.presets().keySet()));
            if (p == null) {
                ok = false;
            } else {
                b = p.toBuilder();
            }
        }
        ok &= radioValue(f, path, preset, "alphaUp", Units::milliwattsPerMbps, b::alphaUpMilliwattsPerMbps);
        ok &= radioValue(f, path, preset, "alphaDown", Units::milliwattsPerMbps, b::alphaDownMilliwattsPerMbps);
        ok &= radioValue(f, path, preset, "beta", Units::milliwatts, b::betaMilliwatts);
        ok &= radioValue(f, path, preset, "promotionPower", Units::milliwatts, b::promotionPowerMilliwatts);
        ok &= radioValue(f, path, preset, "promotionTime", Units::millis, b::promotionTimeMillis);
        ok &= radioValue(f, path, preset, "tailPower", Units::milliwatts, b::tailPowerMilliwatts);
        ok &= radioValue(f, path, preset, "tailTime", Units::millis, b::tailTimeMillis);
        return ok ? b.build() : null;
    }

    private boolean radioValue(Fields f, String path, boolean preset, String key, Function<String, Double> parser,
            Function<Double, RadioPowerModel.Builder> setter) {
        if (!f.has(key)) {
            if (!preset) {
                f.required(key);
                return false;
            }
            return true;
        }
        Double v = quantity(f.node(key), path + "." + key, parser, Bound.NON_NEGATIVE);
        if (v == null) {
            return false;
        }
        setter.apply(v);
        return true;
    }

    private ThermalLimits thermal(Node node) {
        Fields f = fields(node, "thermal", THERMAL_KEYS);
        if (f == null) {
            return null;
        }
        Double throttle = f.has("throttle") ? quantity(f.node("throttle"), "thermal.throttle", Units::celsius, Bound.ANY) : null;
        Double critical = f.has("critical") ? quantity(f.node("critical"), "thermal.critical", Units::celsius, Bound.ANY) : null;
        if (!f.has("throttle") && !f.has("critical")) {
            error(node, "thermal", "give throttle, critical or both");
            return null;
        }
        if (throttle != null && critical != null && !(critical > throttle)) {
            error(f.node("critical"), "thermal.critical", "must be above thermal.throttle " + text(f.node("throttle"))
                    + ", was " + text(f.node("critical")));
            return null;
        }
        if ((f.has("throttle") && throttle == null) || (f.has("critical") && critical == null)) {
            return null;
        }
        for (Double t : new Double[] {throttle, critical}) {
            if (t != null && t <= -273.15) {
                error(node, "thermal", "temperatures must be above absolute zero");
                return null;
            }
        }
        return new ThermalLimits(throttle == null ? OptionalDouble.empty() : OptionalDouble.of(throttle),
                critical == null ? OptionalDouble.empty() : OptionalDouble.of(critical));
    }

    private List<SegmentLatency> segments(Node node) {
        Entries entries = entries(node, "segmentLatencies");
        if (entries == null) {
            return null;
        }
        List<SegmentLatency> out = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, NodeTuple> e : entries.map.entrySet()) {
            String sha = e.getKey();
            String path = "segmentLatencies." + sha;
            if (!SHA256.matcher(sha).matches()) {
                error(e.getValue().getKeyNode(), path, "segment keys are sha256 digests: 64 lower-case hex digits");
                ok = false;
                continue;
            }
            Node listNode = e.getValue().getValueNode();
            List<SegmentLatency> measurements = list(listNode, path, (n, p) -> segment(sha, n, p), true);
            if (measurements == null) {
                ok = false;
                continue;
            }
            List<Node> items = ((SequenceNode) listNode).getValue();
            for (int i = 0; i < measurements.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (measurements.get(i).sameKey(measurements.get(j))) {
                        error(items.get(i), path + "[" + i + "]", "duplicate measurement for threads "
                                + measurements.get(i).threads() + " and delegate "
                                + measurements.get(i).delegate().yamlName() + " (first at line " + line(items.get(j)) + ")");
                        ok = false;
                    }
                }
            }
            out.addAll(measurements);
        }
        return ok ? out : null;
    }

    private SegmentLatency segment(String sha, Node node, String path) {
        Fields f = fields(node, path, SEGMENT_KEYS);
        if (f == null) {
            return null;
        }
        Integer threads = f.required("threads") == null ? null : integer(f.node("threads"), path + ".threads", 1, 1024);
        Delegate delegate = f.required("delegate") == null ? null : delegate(f.node("delegate"), path + ".delegate");
        Double median = f.required("median") == null ? null
                : quantity(f.node("median"), path + ".median", Units::millis, Bound.POSITIVE);
        Double p95 = f.required("p95") == null ? null : quantity(f.node("p95"), path + ".p95", Units::millis, Bound.POSITIVE);
        Integer runs = f.required("runs") == null ? null : integer(f.node("runs"), path + ".runs", 1, Integer.MAX_VALUE);
        if (median != null && p95 != null && p95 < median) {
            error(f.node("p95"), path + ".p95", "must be >= median " + text(f.node("median")) + ", was " + text(f.node("p95")));
            return null;
        }
        if (threads == null || delegate == null || median == null || p95 == null || runs == null) {
            return null;
        }
        return new SegmentLatency(sha, threads, delegate, median, p95, runs);
    }

    private List<CostModel> costModels(Node node) {
        List<CostModel> models = list(node, "costModels", this::costModel, true);
        if (models == null) {
            return null;
        }
        List<Node> items = ((SequenceNode) node).getValue();
        boolean ok = true;
        for (int i = 0; i < models.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (models.get(i).sameKey(models.get(j))) {
                    error(items.get(i), "costModels[" + i + "]", "duplicate cost model for threads "
                            + models.get(i).threads() + " and delegate " + models.get(i).delegate().yamlName()
                            + " (first at line " + line(items.get(j)) + ")");
                    ok = false;
                }
            }
        }
        return ok ? models : null;
    }

    private CostModel costModel(Node node, String path) {
        Fields f = fields(node, path, COST_MODEL_KEYS);
        if (f == null) {
            return null;
        }
        Integer threads = f.required("threads") == null ? null : integer(f.node("threads"), path + ".threads", 1, 1024);
        Delegate delegate = f.required("delegate") == null ? null : delegate(f.node("delegate"), path + ".delegate");
        Double throughput = f.required("throughput") == null ? null
                : quantity(f.node("throughput"), path + ".throughput", Units::macsPerSecond, Bound.POSITIVE);
        Double perInvoke = f.has("perInvoke")
                ? quantity(f.node("perInvoke"), path + ".perInvoke", Units::nanos, Bound.NON_NEGATIVE) : null;
        Integer fitted = f.has("fittedSegments")
                ? integer(f.node("fittedSegments"), path + ".fittedSegments", 1, Integer.MAX_VALUE) : null;
        Double heldOut = f.has("heldOutError")
                ? quantity(f.node("heldOutError"), path + ".heldOutError", Units::percent, Bound.NON_NEGATIVE) : null;
        Map<String, OperatorCost> operators = f.has("operators") ? operatorCosts(f.node("operators"), path + ".operators")
                : Collections.emptyMap();
        if (threads == null || delegate == null || throughput == null || operators == null
                || (f.has("perInvoke") && perInvoke == null) || (f.has("fittedSegments") && fitted == null)
                || (f.has("heldOutError") && heldOut == null)) {
            return null;
        }
        CostModel.Builder b = CostModel.builder(threads, delegate).macsPerSecond(throughput)
                .perInvokeNanos(perInvoke == null ? 0 : perInvoke);
        operators.forEach(b::operator);
        if (fitted != null) {
            b.fittedSegments(fitted);
        }
        if (heldOut != null) {
            b.heldOutErrorPercent(heldOut);
        }
        return b.build();
    }

    private Map<String, OperatorCost> operatorCosts(Node node, String path) {
        Entries entries = entries(node, path);
        if (entries == null) {
            return null;
        }
        if (entries.map.isEmpty()) {
            error(node, path, "must not be empty; leave operators out for a throughput-only cost model");
            return null;
        }
        Map<String, OperatorCost> out = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, NodeTuple> e : entries.map.entrySet()) {
            String opPath = path + "." + e.getKey();
            if (!CostModel.OPERATOR_TYPE.matcher(e.getKey()).matches()) {
                error(e.getValue().getKeyNode(), opPath, "operator types are TensorFlow Lite names such as CONV_2D, "
                        + "BUILTIN_<code> or CUSTOM:<name>");
                ok = false;
                continue;
            }
            Fields c = fields(e.getValue().getValueNode(), opPath, OPERATOR_COST_KEYS);
            if (c == null) {
                ok = false;
                continue;
            }
            Double perMac = c.required("perMac") == null ? null
                    : quantity(c.node("perMac"), opPath + ".perMac", Units::nanos, Bound.NON_NEGATIVE);
            Double perByte = c.required("perByte") == null ? null
                    : quantity(c.node("perByte"), opPath + ".perByte", Units::nanos, Bound.NON_NEGATIVE);
            Double perOperator = c.required("perOperator") == null ? null
                    : quantity(c.node("perOperator"), opPath + ".perOperator", Units::nanos, Bound.NON_NEGATIVE);
            if (perMac == null || perByte == null || perOperator == null) {
                ok = false;
                continue;
            }
            out.put(e.getKey(), new OperatorCost(perMac, perByte, perOperator));
        }
        return ok ? out : null;
    }

    // ------------------------------------------------------------------ typed values

    private enum Bound {
        POSITIVE("> 0"), NON_NEGATIVE(">= 0"), ANY("");

        final String text;

        Bound(String text) {
            this.text = text;
        }

        boolean accepts(double v) {
            switch (this) {
                case POSITIVE:
                    return v > 0;
                case NON_NEGATIVE:
                    return v >= 0;
                default:
                    return true;
            }
        }
    }

    private Double quantity(Node node, String path, Function<String, Double> parser, Bound bound) {
        String s = scalarText(node, path, "a quantity with a unit");
        if (s == null) {
            return null;
        }
        double v;
        try {
            v = parser.apply(s);
        } catch (IllegalArgumentException e) {
            error(node, path, e.getMessage());
            return null;
        }
        if (!bound.accepts(v)) {
            error(node, path, "must be " + bound.text + ", was " + s.trim());
            return null;
        }
        return v;
    }

    private Long positiveLong(Node node, String path, Function<String, Long> parser) {
        String s = scalarText(node, path, "a quantity with a unit");
        if (s == null) {
            return null;
        }
        long v;
        try {
            v = parser.apply(s);
        } catch (IllegalArgumentException e) {
            error(node, path, e.getMessage());
            return null;
        }
        if (v <= 0) {
            error(node, path, "must be > 0, was " + s.trim());
            return null;
        }
        return v;
    }

    private Integer integer(Node node, String path, int min, int max) {
        String s = scalarText(node, path, "an integer");
        if (s == null) {
            return null;
        }
        // Only a plain YAML integer: "4" in quotes is a string to YAML and to the JSON Schema alike.
        if (Tag.STR.equals(node.getTag()) && INTEGER.matcher(s.trim()).matches()) {
            error(node, path, "must be an integer, was the string '" + s + "'; remove the quotes");
            return null;
        }
        if (!Tag.INT.equals(node.getTag()) || !INTEGER.matcher(s.trim()).matches()) {
            error(node, path, "must be an integer, was '" + s + "'");
            return null;
        }
        long v = Long.parseLong(s.trim());
        if (v < min) {
            error(node, path, "must be >= " + min + ", was " + v);
            return null;
        }
        if (v > max) {
            error(node, path, "must be <= " + max + ", was " + v);
            return null;
        }
        return (int) v;
    }

    private String string(Node node, String path) {
        String s = scalarText(node, path, "a string");
        if (s != null && !Tag.STR.equals(node.getTag())) {
            // 'name: 123' or 'id: true' would be a number or boolean to every other YAML reader.
            error(node, path, "must be a string, was " + describe(node) + "; quote it if it is meant as text");
            return null;
        }
        return s;
    }

    private Delegate delegate(Node node, String path) {
        return choice(node, path, Delegate::fromYamlName,
                Arrays.stream(Delegate.values()).map(Delegate::yamlName).collect(Collectors.toList()));
    }

    private <T> T choice(Node node, String path, Function<String, Optional<T>> lookup, List<String> names) {
        String s = scalarText(node, path, "one of " + String.join(", ", names));
        if (s == null) {
            return null;
        }
        Optional<T> v = lookup.apply(s);
        if (!v.isPresent()) {
            error(node, path, "must be one of " + String.join(", ", names) + ", was '" + s + "'"
                    + Suggestions.closest(s, names).map(h -> "; did you mean '" + h + "'?").orElse(""));
            return null;
        }
        return v.get();
    }

    private String scalarText(Node node, String path, String expected) {
        if (node instanceof ScalarNode && !isNull(node)) {
            return ((ScalarNode) node).getValue();
        }
        error(node, path, "must be " + expected + ", was " + describe(node));
        return null;
    }

    private <T> List<T> list(Node node, String path, ItemReader<T> reader, boolean nonEmpty) {
        if (!(node instanceof SequenceNode)) {
            error(node, path, "must be a list, was " + describe(node));
            return null;
        }
        List<Node> items = ((SequenceNode) node).getValue();
        if (nonEmpty && items.isEmpty()) {
            error(node, path, "must not be empty");
            return null;
        }
        List<T> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            T item = reader.read(items.get(i), path + "[" + i + "]");
            if (item == null) {
                ok = false;
            } else {
                out.add(item);
            }
        }
        return ok ? out : null;
    }

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(Node node, String path);
    }

    // ------------------------------------------------------------------ mappings

    /** The entries of a mapping with a fixed key set: unknown and duplicate keys are reported here. */
    private final class Fields {
        private final Node mapping;
        private final String path;
        private final Map<String, NodeTuple> map;

        Fields(Node mapping, String path, Map<String, NodeTuple> map) {
            this.mapping = mapping;
            this.path = path;
            this.map = map;
        }

        boolean has(String key) {
            return map.containsKey(key);
        }

        Node node(String key) {
            return map.get(key).getValueNode();
        }

        List<String> keys() {
            return new ArrayList<>(map.keySet());
        }

        /** The value node, or null after reporting the key as missing. */
        Node required(String key) {
            NodeTuple t = map.get(key);
            if (t == null) {
                error(mapping, join(path, key), "missing required field");
                return null;
            }
            return t.getValueNode();
        }
    }

    /** The entries of a mapping with free keys (link names, cluster names, digests). */
    private static final class Entries {
        final Map<String, NodeTuple> map;

        Entries(Map<String, NodeTuple> map) {
            this.map = map;
        }
    }

    private Fields fields(Node node, String path, List<String> allowed) {
        Entries entries = entries(node, path);
        if (entries == null) {
            return null;
        }
        Map<String, NodeTuple> known = new LinkedHashMap<>();
        for (Map.Entry<String, NodeTuple> e : entries.map.entrySet()) {
            if (allowed.contains(e.getKey())) {
                known.put(e.getKey(), e.getValue());
            } else {
                Optional<String> hint = Suggestions.closest(e.getKey(), allowed);
                error(e.getValue().getKeyNode(), join(path, e.getKey()), "unknown key"
                        + hint.map(h -> ", did you mean '" + h + "'?")
                                .orElse("; expected one of: " + String.join(", ", allowed)));
            }
        }
        return new Fields(node, path, known);
    }

    private Entries entries(Node node, String path) {
        if (!(node instanceof MappingNode)) {
            error(node, path, "must be a mapping, was " + describe(node));
            return null;
        }
        Map<String, NodeTuple> map = new LinkedHashMap<>();
        boolean ok = true;
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode) || isNull(k)) {
                error(k, path, "keys must be plain strings, was " + describe(k));
                ok = false;
                continue;
            }
            String key = ((ScalarNode) k).getValue();
            NodeTuple first = map.putIfAbsent(key, t);
            if (first != null) {
                error(k, join(path, key), "duplicate key (first defined at line " + line(first.getKeyNode()) + ")");
                ok = false;
            }
        }
        // Duplicates are reported; the first occurrence is still checked so every other error shows up too.
        return new Entries(map);
    }

    // ------------------------------------------------------------------ helpers

    private void error(Node node, String path, String message) {
        Optional<Mark> m = node.getStartMark();
        errors.add(new ProfileError(source, m.map(x -> x.getLine() + 1).orElse(0), m.map(x -> x.getColumn() + 1).orElse(0),
                path, message));
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static String text(Node node) {
        return node instanceof ScalarNode ? ((ScalarNode) node).getValue().trim() : describe(node);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "empty";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
