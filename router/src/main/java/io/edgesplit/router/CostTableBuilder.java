package io.edgesplit.router;

import io.edgesplit.modelpackage.PackageManifest;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.PowerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Builds a {@link CostTable} from a package manifest, the device, the remote targets and the
 * codecs to consider: one local plan per variant, and for every remote target, variant, split
 * point (except full local) and codec one remote plan.
 */
public final class CostTableBuilder {

    /** Header bytes per message each way (frame header, tensor descriptors). */
    public static final long PROTOCOL_OVERHEAD_BYTES = 128;

    /** Default fallback reserve: this many times the variant's local run ... */
    public static final double DEFAULT_RESERVE_FACTOR = 1.5;
    /** ... plus this margin, ms (room for the hand-over to the fallback and a slower run than the median). */
    public static final double DEFAULT_RESERVE_MARGIN_MILLIS = 5;

    private final PackageManifest manifest;
    private final DeviceProfile device;
    private final List<Target> remotes = new ArrayList<>();
    private final List<Predicate<String>> carries = new ArrayList<>();
    private List<String> codecs;
    private SegmentLatencyModel latency = new ProfileLatencyModel();
    private int deviceThreads = 1;
    private int serverThreads = 1;
    private double reserveFactor = DEFAULT_RESERVE_FACTOR;
    private double reserveMarginMillis = DEFAULT_RESERVE_MARGIN_MILLIS;

    public CostTableBuilder(PackageManifest manifest, DeviceProfile device) {
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        this.device = Objects.requireNonNull(device, "device");
        this.codecs = manifest.codecs();
    }

    /**
     * Adds a remote target.
     *
     * @throws IllegalArgumentException when the device has no link with the target's link name
     */
    public CostTableBuilder addTarget(Target target) {
        return addTarget(target, codec -> true);
    }

    /**
     * Adds a remote target whose transport carries only the codecs {@code carriesCodec} accepts (an
     * Open Inference Protocol server takes tensors as they are: raw only); plans to it use no others.
     *
     * @throws IllegalArgumentException when the device has no link with the target's link name
     */
    public CostTableBuilder addTarget(Target target, Predicate<String> carriesCodec) {
        Objects.requireNonNull(carriesCodec, "carriesCodec");
        if (target.isLocal()) {
            throw new IllegalArgumentException("target: the device is always target 0; add only remote targets");
        }
        if (!device.links().containsKey(target.linkName())) {
            throw new IllegalArgumentException("target " + target + ": device " + device.id() + " has no link '"
                    + target.linkName() + "', it has " + device.links().keySet());
        }
        for (Target t : remotes) {
            if (t.equals(target)) {
                throw new IllegalArgumentException("target " + target + " is added twice");
            }
        }
        remotes.add(target);
        carries.add(carriesCodec);
        return this;
    }

    /**
     * Codecs to plan with; each must be allowed by the package.
     *
     * @throws IllegalArgumentException naming a codec the package does not allow
     */
    public CostTableBuilder codecs(List<String> names) {
        for (String c : names) {
            if (!manifest.codecs().contains(c)) {
                throw new IllegalArgumentException("codec '" + c + "' is not allowed by package " + manifest.family()
                        + ", which allows " + manifest.codecs());
            }
        }
        this.codecs = java.util.Collections.unmodifiableList(new ArrayList<>(names));
        return this;
    }

    public CostTableBuilder latencyModel(SegmentLatencyModel model) {
        this.latency = Objects.requireNonNull(model, "latencyModel");
        return this;
    }

    public CostTableBuilder deviceThreads(int threads) {
        this.deviceThreads = positive("deviceThreads", threads);
        return this;
    }

    public CostTableBuilder serverThreads(int threads) {
        this.serverThreads = positive("serverThreads", threads);
        return this;
    }

    /**
     * The time an executor keeps back from the deadline for a variant's local fallback: {@code factor
     * x} the variant's local run {@code + marginMillis} (default 1.5x + 5 ms, what {@code EdgeRuntime}
     * reserves; {@code (0, ms)} for a fixed reserve; {@code (0, 0)} for an executor without fallback).
     * Remote plans are feasible only when predicted to finish by {@code deadline - reserve}.
     */
    public CostTableBuilder fallbackReserve(double factor, double marginMillis) {
        if (!(factor >= 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("fallbackReserve factor: must be >= 0 and finite, was " + factor);
        }
        if (!(marginMillis >= 0) || Double.isInfinite(marginMillis)) {
            throw new IllegalArgumentException("fallbackReserve marginMillis: must be >= 0 and finite, was " + marginMillis);
        }
        this.reserveFactor = factor;
        this.reserveMarginMillis = marginMillis;
        return this;
    }

    private static int positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + ": must be >= 1, was " + v);
        }
        return v;
    }

    public CostTable build() {
        for (int r = 0; r < remotes.size(); r++) {
            boolean any = false;
            for (String codec : codecs) {
                any |= carries.get(r).test(codec);
            }
            if (!any) {
                throw new IllegalArgumentException("target " + remotes.get(r) + " carries none of the codecs planned with "
                        + codecs + " (an Open Inference Protocol target carries raw tensors only)");
            }
        }
        List<Target> targets = new ArrayList<>();
        targets.add(Target.local(device));
        targets.addAll(remotes);
        double activeWatts = device.power().map(PowerModel::activeWatts).orElse(Double.NaN);
        List<Plan> plans = new ArrayList<>();
        List<double[]> rows = new ArrayList<>(); // head, tail, codec, compute, accuracy, fallback
        List<long[]> bytes = new ArrayList<>(); // up, down
        List<Integer> targetIdx = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        List<Boolean> raw = new ArrayList<>();
        for (Variant v : manifest.variants()) {
            double accuracy = v.accuracy() == null ? Double.NaN : v.accuracy();
            SplitPoint local = v.fullLocal();
            double localMillis = latency.medianMillis(device, local.headSegment(), local.headMacs(), deviceThreads);
            long outputBytes = PROTOCOL_OVERHEAD_BYTES;
            for (TensorDescriptor o : v.outputs()) {
                outputBytes += o.byteSize();
            }
            plans.add(new Plan(plans.size(), targets.get(0), 0, v.id(), v.width(), local.id(), "raw",
                    local.headOperatorCount(), true, false, local.headSegment(), null));
            rows.add(new double[] {localMillis, 0, 0, localMillis * activeWatts, accuracy, localMillis});
            bytes.add(new long[] {0, 0});
            targetIdx.add(0);
            depth.add(local.headOperatorCount());
            raw.add(false);
            for (int t = 1; t < targets.size(); t++) {
                Target target = targets.get(t);
                for (SplitPoint s : v.splits()) {
                    if (s.isFullLocal()) {
                        continue;
                    }
                    double head = s.isFullOffload() ? 0
                            : latency.medianMillis(device, s.headSegment(), s.headMacs(), deviceThreads);
                    double tail = latency.medianMillis(target.profile(), s.tailSegment(), s.tailMacs(), serverThreads);
                    for (String codec : codecs) {
                        if (!carries.get(t - 1).test(codec)) {
                            continue;
                        }
                        long up = PROTOCOL_OVERHEAD_BYTES;
                        long rawBytes = 0;
                        for (TensorDescriptor d : s.crossing()) {
                            up += CodecCosts.encodedBytes(codec, d);
                            rawBytes += d.byteSize();
                        }
                        double codecMs = CodecCosts.millis(codec, rawBytes);
                        plans.add(new Plan(plans.size(), target, t, v.id(), v.width(), s.id(), codec,
                                s.headOperatorCount(), false, s.isFullOffload(), s.headSegment(), s.tailSegment()));
                        rows.add(new double[] {head, tail, codecMs, head * activeWatts, accuracy, localMillis});
                        bytes.add(new long[] {up, outputBytes});
                        targetIdx.add(t);
                        depth.add(s.headOperatorCount());
                        raw.add(s.isFullOffload());
                    }
                }
            }
        }
        int n = plans.size();
        double[] head = new double[n];
        double[] tail = new double[n];
        double[] codec = new double[n];
        double[] compute = new double[n];
        double[] acc = new double[n];
        double[] fallback = new double[n];
        double[] reserve = new double[n];
        long[] up = new long[n];
        long[] down = new long[n];
        int[] tgt = new int[n];
        int[] dep = new int[n];
        boolean[] sendsRaw = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] r = rows.get(i);
            head[i] = r[0];
            tail[i] = r[1];
            codec[i] = r[2];
            compute[i] = r[3];
            acc[i] = r[4];
            fallback[i] = r[5];
            reserve[i] = reserveFactor * r[5] + reserveMarginMillis;
            up[i] = bytes.get(i)[0];
            down[i] = bytes.get(i)[1];
            tgt[i] = targetIdx.get(i);
            dep[i] = depth.get(i);
            sendsRaw[i] = raw.get(i);
        }
        return new CostTable(targets, plans.toArray(new Plan[0]), tgt, head, tail, codec, up, down, compute, acc, dep,
                sendsRaw, fallback, reserve, activeWatts);
    }
}
