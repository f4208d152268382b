package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What EdgeSplit knows about one device, edge server or cloud target: identity, compute, memory,
 * power, links, thermal limits, measured latencies of model segments on it, and cost models that
 * predict the segments that were not measured. Every decision the
 * router makes starts from these. Immutable and thread-safe; load with {@link DeviceProfiles}, write
 * with {@link ProfileWriter}, change with {@link #toBuilder()}.
 */
public final class DeviceProfile {

    /** The profile format version this library reads and writes. */
    public static final int FORMAT_VERSION = 1;

    static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?");

    private static final Comparator<SegmentLatency> SEGMENT_ORDER = Comparator.comparing(SegmentLatency::segmentSha256)
            .thenComparingInt(SegmentLatency::threads).thenComparing(SegmentLatency::delegate);
    private static final Comparator<CostModel> COST_MODEL_ORDER = Comparator.comparingInt(CostModel::threads)
            .thenComparing(CostModel::delegate);

    private final ProfileKind kind;
    private final String id;
    private final Optional<String> name;
    private final Map<String, String> identity;
    private final ComputeSpec compute;
    private final long memoryBytes;
    private final Optional<PowerModel> power;
    private final Map<String, LinkProfile> links;
    private final Optional<ThermalLimits> thermal;
    private final List<SegmentLatency> segmentLatencies;
    private final List<CostModel> costModels;

    private DeviceProfile(Builder b) {
        this.kind = b.kind;
        this.id = b.id;
        this.name = Optional.ofNullable(b.name);
        this.identity = Collections.unmodifiableMap(new LinkedHashMap<>(b.identity));
        this.compute = b.compute;
        this.memoryBytes = b.memoryBytes;
        this.power = Optional.ofNullable(b.power);
        this.links = Collections.unmodifiableMap(new LinkedHashMap<>(b.links));
        this.thermal = Optional.ofNullable(b.thermal);
        List<SegmentLatency> segments = new ArrayList<>(b.segmentLatencies);
        segments.sort(SEGMENT_ORDER);
        this.segmentLatencies = Backports.listCopy(segments);
        List<CostModel> models = new ArrayList<>(b.costModels);
        models.sort(COST_MODEL_ORDER);
        this.costModels = Backports.listCopy(models);
    }

    /** A builder for a profile of the given kind and id. */
    public static Builder builder(ProfileKind kind, String id) {
        return new Builder(kind, id);
    }

    /** A builder holding this profile's values, e.g. to add a measured segment latency. */
    public Builder toBuilder() {
        Builder b = new Builder(kind, id).name(name.orElse(null)).compute(compute).memoryBytes(memoryBytes)
                .power(power.orElse(null)).thermal(thermal.orElse(null));
        identity.forEach(b::identity);
        links.values().forEach(b::link);
        segmentLatencies.forEach(b::putSegmentLatency);
        costModels.forEach(b::putCostModel);
        return b;
    }

    /** Device, edge server or cloud target. */
    public ProfileKind kind() {
        return kind;
    }

    /** Stable id such as {@code raspberry-pi-4}: lower-case letters, digits and dashes. */
    public String id() {
        return id;
    }

    /** Human-readable name, if given. */
    public Optional<String> name() {
        return name;
    }

    /** Identity properties ({@link IdentityKeys}), e.g. {@code tflite.soc_model}. */
    public Map<String, String> identity() {
        return identity;
    }

    /** Compute units. */
    public ComputeSpec compute() {
        return compute;
    }

    /** Total memory (RAM) in bytes. */
    public long memoryBytes() {
        return memoryBytes;
    }

    /** Power model; absent when no figure is known (e.g. a freshly probed machine). */
    public Optional<PowerModel> power() {
        return power;
    }

    /** Links by name, in the order written. */
    public Map<String, LinkProfile> links() {
        return links;
    }

    /** Thermal limits, if known. */
    public Optional<ThermalLimits> thermal() {
        return thermal;
    }

    /** Measured segment latencies, ordered by sha256, threads, delegate. */
    public List<SegmentLatency> segmentLatencies() {
        return segmentLatencies;
    }

    /** The measurement of one segment at one thread count and delegate, if present. */
    public Optional<SegmentLatency> segmentLatency(String segmentSha256, int threads, Delegate delegate) {
        for (SegmentLatency s : segmentLatencies) {
            if (s.segmentSha256().equals(segmentSha256) && s.threads() == threads && s.delegate() == delegate) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Cost models, ordered by threads and delegate; at most one per thread count and delegate. */
    public List<CostModel> costModels() {
        return costModels;
    }

    /** The cost model of one thread count and delegate, if present. */
    public Optional<CostModel> costModel(int threads, Delegate delegate) {
        for (CostModel c : costModels) {
            if (c.threads() == threads && c.delegate() == delegate) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeviceProfile)) {
            return false;
        }
        DeviceProfile p = (DeviceProfile) o;
        return kind == p.kind && id.equals(p.id) && name.equals(p.name) && identity.equals(p.identity)
                && compute.equals(p.compute) && memoryBytes == p.memoryBytes && power.equals(p.power)
                && links.equals(p.links) && thermal.equals(p.thermal) && segmentLatencies.equals(p.segmentLatencies)
                && costModels.equals(p.costModels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, name, identity, compute, memoryBytes, power, links, thermal, segmentLatencies,
                costModels);
    }

    @Override
    public String toString() {
        return "DeviceProfile{kind=" + kind + ", id=" + id + ", name=" + name + ", identity=" + identity + ", compute="
                + compute + ", memoryBytes=" + memoryBytes + ", power=" + power + ", links=" + links + ", thermal="
                + thermal + ", segmentLatencies=" + segmentLatencies + ", costModels=" + costModels + '}';
    }

    /** Builder for {@link DeviceProfile}; compute and memory are required. */
    public static final class Builder {
        private final ProfileKind kind;
        private final String id;
        private String name;
        private final Map<String, String> identity = new LinkedHashMap<>();
        private ComputeSpec compute;
        private long memoryBytes;
        private PowerModel power;
        private final Map<String, LinkProfile> links = new LinkedHashMap<>();
        private ThermalLimits thermal;
        private final List<SegmentLatency> segmentLatencies = new ArrayList<>();
        private final List<CostModel> costModels = new ArrayList<>();

        private Builder(ProfileKind kind, String id) {
            this.kind = Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            if (!ID.matcher(id).matches()) {
                throw new IllegalArgumentException("id: must be 1 to 64 lower-case letters, digits and inner dashes, was '"
                        + id + "'");
            }
            this.id = id;
        }

        /** Display name, or null for none. */
        public Builder name(String name) {
            if (name != null && Backports.isBlank(name)) {
                throw new IllegalArgumentException("name: must not be blank");
            }
            this.name = name;
            return this;
        }

        /** Sets one identity property; {@code key} must be one of {@link IdentityKeys#ALL}. */
        public Builder identity(String key, String value) {
            Objects.requireNonNull(key, "key"); // IdentityKeys.ALL.contains(null) is false, not an exception
            if (!IdentityKeys.ALL.contains(key)) {
                throw new IllegalArgumentException("identity: unknown key '" + key + "', allowed: " + IdentityKeys.ALL);
            }
            Objects.requireNonNull(value, "value");
            identity.put(key, value);
            return this;
        }

        public Builder compute(ComputeSpec compute) {
            this.compute = Objects.requireNonNull(compute, "compute");
            return this;
        }

        /** Total RAM, > 0 bytes. */
        public Builder memoryBytes(long memoryBytes) {
            if (memoryBytes <= 0) {
                throw new IllegalArgumentException("memoryBytes: must be > 0, was " + memoryBytes);
            }
            this.memoryBytes = memoryBytes;
            return this;
        }

        /** Power model, or null when unknown. */
        public Builder power(PowerModel power) {
            this.power = power;
            return this;
        }

        /** Adds or replaces the link with the same name. */
        public Builder link(LinkProfile link) {
            links.put(link.name(), link);
            return this;
        }

        /** Removes a link by name, if present. */
        public Builder removeLink(String name) {
            links.remove(name);
            return this;
        }

        /** Thermal limits, or null when unknown. */
        public Builder thermal(ThermalLimits thermal) {
            this.thermal = thermal;
            return this;
        }

        /**
         * Adds a measurement, replacing an earlier one of the same segment, threads and delegate: the
         * profiler's way of recording a fresh run.
         */
        public Builder putSegmentLatency(SegmentLatency latency) {
            Objects.requireNonNull(latency, "latency");
            segmentLatencies.removeIf(s -> s.sameKey(latency));
            segmentLatencies.add(latency);
            return this;
        }

        /** Removes every measurement of one segment. */
        public Builder removeSegmentLatencies(String segmentSha256) {
            segmentLatencies.removeIf(s -> s.segmentSha256().equals(segmentSha256));
            return this;
        }

        /**
         * Adds a cost model, replacing an earlier one of the same thread count and delegate: the
         * profiler's way of recording a fresh fit.
         */
        public Builder putCostModel(CostModel model) {
            Objects.requireNonNull(model, "model");
            costModels.removeIf(c -> c.sameKey(model));
            costModels.add(model);
            return this;
        }

        /** Removes every cost model. */
        public Builder removeCostModels() {
            costModels.clear();
            return this;
        }

        /**
         * @throws IllegalArgumentException when compute or memory is missing, or per-core power names
         *     a CPU cluster the compute section does not have
         */
        public DeviceProfile build() {
            if (compute == null) {
                throw new IllegalArgumentException("compute: is required");
            }
            if (memoryBytes == 0) {
                throw new IllegalArgumentException("memoryBytes: is required");
            }
            if (power != null) {
                for (String cluster : power.perCoreWatts().keySet()) {
                    if (compute.cpus().stream().noneMatch(c -> c.name().equals(cluster))) {
                        throw new IllegalArgumentException("power.perCoreWatts: no CPU cluster named '" + cluster + "'");
                    }
                }
            }
            return new DeviceProfile(this);
        }
    }
}
