package io.edgesplit.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgesplit.codec.Codecs;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.offload.ConnectionException;
import io.edgesplit.offload.OffloadException;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.OffloadTarget;
import io.edgesplit.offload.OffloadTimeoutException;
import io.edgesplit.offload.resilience.CircuitBreaker;
import io.edgesplit.offload.resilience.CircuitBreakerConfig;
import io.edgesplit.offload.resilience.OffloadEventListener;
import io.edgesplit.offload.resilience.ResilientTarget;
import io.edgesplit.offload.resilience.RetryConfig;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.PowerModel;
import io.edgesplit.profile.RadioPowerModel;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.CostTableBuilder;
import io.edgesplit.router.Plan;
import io.edgesplit.router.PlanOutcome;
import io.edgesplit.router.Planner;
import io.edgesplit.router.ProfileLatencyModel;
import io.edgesplit.router.RadioEnergy;
import io.edgesplit.router.SegmentLatencyModel;
import io.edgesplit.router.Target;
import io.edgesplit.router.TargetKind;
import io.edgesplit.router.estimate.EstimatorSet;
import io.edgesplit.runtime.fleet.Backoff;
import io.edgesplit.runtime.fleet.CommandHandler;
import io.edgesplit.runtime.fleet.CommandResult;
import io.edgesplit.runtime.fleet.DeviceFleetAgent;
import io.edgesplit.runtime.fleet.FleetConfig;
import io.edgesplit.runtime.fleet.MqttSettings;
import io.edgesplit.runtime.fleet.ServerDirectory;
import io.edgesplit.runtime.fleet.ServerInfo;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade an app links: give it inputs, get outputs. For every inference it asks the
 * {@link Planner} where and how to run (on the device, split with an edge server, on the cloud; at
 * which width, split point and codec) under the current {@link Budgets} and what its estimators know
 * about the links, runs that plan, falls back to the device when a target fails or would miss the
 * deadline (the request is never lost nor answered twice), feeds what it observed back into the
 * estimators, and reports aggregates over MQTT when a fleet is configured.
 *
 * <p>Every variant keeps a warm session for running wholly on the device, so switching width between
 * inferences loads nothing; head segments are loaded on first use and kept in a bounded cache.
 * Inferences are serialized: one runs at a time per runtime (sessions are not thread-safe), callers
 * from several threads simply queue. Thread-safe; close it to release native memory, connections
 * and threads.
 */
public final class EdgeRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeRuntime.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Longest wait for a discovered server's transport to connect before it counts as unreachable. */
    static final long CONNECT_TIMEOUT_MILLIS = 10_000;

    private final ModelPackage pkg;
    private final DeviceProfile device;
    private final InferenceEngine engine;
    private final EngineOptions engineOptions;
    private final Map<String, Variant> variants = new LinkedHashMap<>();
    private final WarmSessions localSessions;
    private final HeadCache heads;
    private final Planner planner;
    private final NanoClock clock;
    private final ExecutorService inferenceExecutor;
    private final ExecutorService fallbackExecutor;
    private final ScheduledExecutorService scheduler;
    private final RuntimeStats stats = new RuntimeStats();
    private final Builder config;
    private final double activeWatts;
    private final Object lock = new Object();
    private final PlanOutcome outcome = new PlanOutcome();
    private final List<RemoteTarget> configured;
    /** Servers announced over MQTT, by node id; guarded by itself, changed on the discovery thread. */
    private final Map<String, Discovered> discovered = new LinkedHashMap<>();
    private final ExecutorService discoveryExecutor;
    private final Backoff connectBackoff = new Backoff(1000, 60_000, Math::random);
    private boolean discoveryClosed; // guarded by discovered
    /** The queue wait each server last announced, for its targets' queue estimates. */
    private final AnnouncedLoads announcedLoads = new AnnouncedLoads();
    private final DeviceFleetAgent fleet;

    private volatile Routing routing;
    private volatile Budgets budgets;
    private volatile String policy = "adaptive";
    private volatile Inflight inflight;
    /** Time kept back for the local fallback, by variant id (its local run, with margin); set with the routing. */
    private volatile Map<String, Long> fallbackReserves = Collections.emptyMap();
    private volatile long worstFallbackReserveNs;
    private int previousEntry = -1;
    private boolean closed;

    /** What the planner and the executors need, swapped atomically when servers come or go. */
    private static final class Routing {
        final CostTable table;
        final EstimatorSet estimators;
        final OffloadTarget[] targets; // by target index; [0] unused (the device)
        final OffloadTarget[] transports; // what targets[t] wraps

        Routing(CostTable table, EstimatorSet estimators, OffloadTarget[] targets, OffloadTarget[] transports) {
            this.table = table;
            this.estimators = estimators;
            this.targets = targets;
            this.transports = transports;
        }

        /** The chain of {@code target} over {@code transport}, or null. */
        OffloadTarget find(Target target, OffloadTarget transport) {
            for (int t = 1; t < targets.length; t++) {
                if (table.targets().get(t).equals(target) && transports[t] == transport) {
                    return targets[t];
                }
            }
            return null;
        }

        boolean uses(OffloadTarget transport) {
            for (int t = 1; t < transports.length; t++) {
                if (transports[t] == transport) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * An edge server announced over MQTT: where it said it is, and how far connecting to it got. It
     * enters the cost table once its transport has connected ({@link #ready}); until then, and after
     * a failed attempt, the planner does not know it, so nothing is charged to it.
     */
    private static final class Discovered {
        final String node;
        final JsonNode endpoint;
        OffloadTarget transport; // connecting or connected; null after a failed attempt
        RemoteTarget remote; // set once connected
        boolean ready;
        int failedAttempts;
        long retryAtNanos;

        Discovered(String node, JsonNode endpoint) {
            this.node = node;
            this.endpoint = endpoint;
        }
    }

    /** The inference being executed, for the local fallback (which runs on another thread). */
    private static final class Inflight {
        final Variant variant;
        final List<Tensor> inputs;

        Inflight(Variant variant, List<Tensor> inputs) {
            this.variant = variant;
            this.inputs = inputs;
        }
    }

    private EdgeRuntime(Builder b) throws IOException {
        this.config = b;
        this.pkg = b.pkg;
        this.device = b.device;
        this.engine = b.engine;
        this.engineOptions = b.engineOptions;
        this.clock = b.clock;
        this.budgets = b.budgets;
        this.configured = io.edgesplit.common.Lists.copyOf(b.remotes);
        this.planner = new Planner(b.hysteresis);
        this.activeWatts = device.power().map(PowerModel::activeWatts).orElse(Double.NaN);
        this.inferenceExecutor = Executors.newSingleThreadExecutor(daemon("edgesplit-inference"));
        this.fallbackExecutor = Executors.newSingleThreadExecutor(daemon("edgesplit-fallback"));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("edgesplit-offload-timer"));
        this.discoveryExecutor = Executors.newSingleThreadExecutor(daemon("edgesplit-discovery"));
        this.heads = new HeadCache(engine, engineOptions, pkg, b.headCacheSize);
        for (Variant v : pkg.variants()) {
            variants.put(v.id(), v);
        }
        WarmSessions warm = null;
        try {
            warm = new WarmSessions(pkg, engine, engineOptions);
        } finally {
            if (warm == null) {
                inferenceExecutor.shutdownNow();
                fallbackExecutor.shutdownNow();
                scheduler.shutdownNow();
                discoveryExecutor.shutdownNow();
            }
        }
        this.localSessions = warm;
        try {
            this.routing = buildRouting(null);
            connectConfigured();
            this.fleet = b.mqtt == null ? null : startFleet(b);
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public static Builder builder(ModelPackage pkg, DeviceProfile device) {
        return new Builder(pkg, device);
    }

    // ---------------------------------------------------------------------------------------------
    // Inference

    /** Runs one inference with the current budgets (and their deadline, if any). */
    public InferenceResult infer(List<Tensor> inputs) {
        double deadline = budgets.deadlineMillis();
        long deadlineNs = Double.isInfinite(deadline) ? Long.MAX_VALUE : clock.nanoTime() + (long) (deadline * 1e6);
        return infer(inputs, deadlineNs);
    }

    /**
     * Runs one inference whose inputs are written after planning, for the variant that was chosen
     * (variants may differ in input size).
     */
    public InferenceResult infer(InputProvider provider) {
        double deadline = budgets.deadlineMillis();
        long deadlineNs = Double.isInfinite(deadline) ? Long.MAX_VALUE : clock.nanoTime() + (long) (deadline * 1e6);
        return infer(null, provider, deadlineNs);
    }

    /** Single-input convenience for {@link #infer(List)}. */
    public InferenceResult infer(Tensor input) {
        return infer(Collections.singletonList(input));
    }

    /**
     * Runs one inference on the inference thread. The inputs are copied first, so the caller may
     * reuse its tensors at once. The deadline is relative to now and tightens the budgets' own.
     */
    public CompletableFuture<InferenceResult> inferAsync(List<Tensor> inputs, Duration deadline) {
        long deadlineNs = clock.nanoTime() + deadline.toNanos();
        List<Tensor> copies = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            Tensor c = Tensor.allocate(t.spec());
            c.copyFrom(t);
            copies.add(c);
        }
        return CompletableFuture.supplyAsync(() -> infer(copies, deadlineNs), inferenceExecutor);
    }

    private InferenceResult infer(List<Tensor> inputs, long deadlineNs) {
        return infer(inputs, null, deadlineNs);
    }

    /** Input tensors per variant for {@link InputProvider}s, allocated once. */
    private final Map<String, List<Tensor>> providedInputs = new LinkedHashMap<>();

    private List<Tensor> provide(Variant v, InputProvider provider) {
        List<Tensor> tensors = providedInputs.computeIfAbsent(v.id(), id -> {
            List<Tensor> list = new ArrayList<>();
            for (TensorDescriptor d : v.inputs()) {
                list.add(Tensor.allocate(d.spec()));
            }
            return list;
        });
        for (int i = 0; i < tensors.size(); i++) {
            provider.write(i, tensors.get(i));
        }
        return tensors;
    }

    private InferenceResult infer(List<Tensor> given, InputProvider provider, long deadlineNs) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("EdgeRuntime is closed");
            }
            long start = clock.nanoTime();
            Routing r = routing;
            r.estimators.onRequest();
            Budgets effective = budgets;
            double remainingMs = (deadlineNs - start) / 1e6;
            if (deadlineNs != Long.MAX_VALUE && remainingMs < effective.deadlineMillis()) {
                effective = effective.toBuilder().deadlineMillis(Math.max(remainingMs, 0.001), effective.deadlineHard())
                        .build();
            }
            int only = onlyTarget(r.table);
            planner.plan(r.table, r.estimators, effective, previousEntry, outcome, only);
            if (outcome.plan() == null && only > 0) {
                // the policy's one target is out of planning (breaker open, Will received): the device, as
                // for a failed request, rather than failing the inference
                planner.plan(r.table, r.estimators, effective, previousEntry, outcome, 0);
            }
            Plan plan = outcome.plan();
            if (plan == null) {
                throw new IllegalStateException("no plan satisfies the privacy budget; the device itself should always "
                        + "be possible");
            }
            PlanOutcome predicted = outcome.copy();
            previousEntry = plan.entry();
            Variant v = variants.get(plan.variantId());
            List<Tensor> inputs = given != null ? given : provide(v, provider);
            checkInputs(v, inputs);
            InferenceResult result = plan.isLocal() ? runLocal(plan, predicted, v, inputs, start)
                    : runRemote(r, plan, predicted, v, inputs, start, deadlineNs);
            stats.record(result, effective.deadlineMillis());
            return result;
        }
    }

    private int onlyTarget(CostTable table) {
        switch (policy) {
            case "local-only":
                return 0;
            case "edge-only":
                return firstTargetOf(table, TargetKind.EDGE);
            case "cloud-only":
                return firstTargetOf(table, TargetKind.CLOUD);
            default:
                return -1;
        }
    }

    private static int firstTargetOf(CostTable table, TargetKind kind) {
        for (int t = 1; t < table.targets().size(); t++) {
            if (table.targets().get(t).kind() == kind) {
                return t;
            }
        }
        return 0; // no such target: the device
    }

    private static void checkInputs(Variant v, List<Tensor> inputs) {
        if (inputs.size() != v.inputs().size()) {
            throw new IllegalArgumentException("model " + v.id() + " takes " + v.inputs().size() + " input(s), got "
                    + inputs.size());
        }
        for (int i = 0; i < inputs.size(); i++) {
            TensorSpec expected = v.inputs().get(i).spec();
            if (!expected.isCompatibleWith(inputs.get(i).spec())) {
                throw new IllegalArgumentException("tensor '" + expected.name() + "' expects " + expected.shapeAndType()
                        + ", got " + inputs.get(i).spec().shapeAndType());
            }
        }
    }

    private InferenceResult runLocal(Plan plan, PlanOutcome predicted, Variant v, List<Tensor> inputs, long start) {
        Session s = localSessions.session(v.id());
        for (int i = 0; i < inputs.size(); i++) {
            s.setInput(i, inputs.get(i));
        }
        s.run();
        List<Tensor> outputs = copyOutputs(s);
        long end = clock.nanoTime();
        long compute = end - start;
        return new InferenceResult(outputs, plan, predicted, end - start, compute, 0, 0, 0, 0, 0,
                compute / 1e6 * activeWatts, false, null);
    }

    private static List<Tensor> copyOutputs(Session s) {
        List<Tensor> out = new ArrayList<>(s.outputCount());
        for (int i = 0; i < s.outputCount(); i++) {
            Tensor o = Tensor.allocate(s.output(i).spec());
            o.copyFrom(s.output(i));
            out.add(o);
        }
        return out;
    }

    private InferenceResult runRemote(Routing r, Plan plan, PlanOutcome predicted, Variant v, List<Tensor> inputs,
            long start, long deadlineNs) {
        SplitPoint split = v.split(plan.splitId());
        Session head = null;
        if (plan.headSegment() != null) {
            head = heads.session(plan.headSegment());
            for (int i = 0; i < inputs.size(); i++) {
                String name = v.inputs().get(i).name();
                if (hasInput(head, name)) {
                    head.input(name).copyFrom(inputs.get(i));
                }
            }
            head.run();
        }
        long headEnd = clock.nanoTime();
        List<Tensor> crossing = new ArrayList<>(split.crossing().size());
        for (TensorDescriptor d : split.crossing()) {
            crossing.add(d.passthrough() ? inputNamed(v, inputs, d.name()) : head.output(d.name()));
        }
        List<TensorSpec> outputSpecs = new ArrayList<>();
        for (TensorDescriptor d : v.outputs()) {
            outputSpecs.add(d.spec());
        }
        OffloadRequest request = OffloadRequest.builder().segmentSha256(plan.tailSegment()).codecName(plan.codec())
                .inputs(crossing).outputSpecs(outputSpecs).label(plan.describe()).build();
        int t = plan.targetIndex();
        inflight = new Inflight(v, inputs);
        OffloadResult result;
        try {
            // the blocking form: the native client reads its own reply on this thread (no hand-off)
            result = r.targets[t].call(request, deadlineNs);
        } catch (OffloadException e) {
            // The chain runs the fallback; reaching here means the device failed too.
            throw new IllegalStateException("inference failed remotely and locally: " + e, e);
        } finally {
            inflight = null;
        }
        long end = clock.nanoTime();
        feedEstimators(r, t, plan.entry(), result);
        double headMs = (headEnd - start) / 1e6;
        double energy = headMs * activeWatts;
        if (result.local()) {
            energy += (end - headEnd) / 1e6 * activeWatts;
        } else {
            energy += radioEnergy(r, t, result);
        }
        return new InferenceResult(result.outputs(), plan, predicted, end - start, headEnd - start, end - headEnd,
                result.queueNs(), result.computeNs(), result.bytesSent(), result.bytesReceived(), energy,
                result.local(), result.fallbackCause());
    }

    private double radioEnergy(Routing r, int t, OffloadResult result) {
        RadioPowerModel radio = r.table.radio(t);
        if (radio == null) {
            return Double.NaN;
        }
        double up = r.estimators.uplinkBitsPerSecond(t);
        double down = r.estimators.downlinkBitsPerSecond(t);
        double upMs = result.bytesSent() * 8000.0 / up;
        double downMs = result.bytesReceived() * 8000.0 / down;
        double waitMs = Math.max(0, result.roundTripNs() / 1e6 - upMs - downMs);
        return RadioEnergy.millijoules(radio, 0, upMs, up / 1e6, downMs, down / 1e6, waitMs,
                r.estimators.requestIntervalMillis());
    }

    /**
     * What one offload taught about the target: success or failure, queue delay, bandwidth, RTT. A
     * reply gives a bandwidth sample (the network time minus the RTT and the reply's transfer) and a
     * lower bound (the whole network time); a timeout after sending gives an upper bound: the upload
     * took longer than the time waited minus what the RTT, the server and the reply would have taken,
     * unless the reply had begun (then the upload had arrived, and the stall was elsewhere).
     */
    private void feedEstimators(Routing r, int t, int entry, OffloadResult result) {
        EstimatorSet e = r.estimators;
        if (result.local()) {
            e.onFailure(t);
            if (result.fallbackCause() instanceof OffloadTimeoutException) {
                OffloadTimeoutException timeout = (OffloadTimeoutException) result.fallbackCause();
                // a reply that had begun means the request had arrived: the stall was not the uplink's
                if (timeout.bytesSent() > 0 && timeout.waitedNs() > 0 && !timeout.replyStarted()) {
                    double restMs = e.rttMillis(t) + e.queueMillis(t) + r.table.tailMillis(entry)
                            + r.table.downlinkBytes(entry) * 8000.0 / e.downlinkBitsPerSecond(t);
                    long upNs = timeout.waitedNs() - (long) (restMs * 1e6);
                    if (upNs > 0 && e.onUplinkTimeout(t, timeout.bytesSent(), upNs)) {
                        LOG.debug("{}: {} bytes unanswered after {} ms: uplink below {} Mbit/s, now estimated at {}",
                                r.table.targets().get(t), timeout.bytesSent(), timeout.waitedNs() / 1_000_000,
                                timeout.bytesSent() * 8e3 / upNs, e.uplinkBitsPerSecond(t) / 1e6);
                    }
                }
            }
            return;
        }
        e.onSuccess(t);
        e.onQueueDelay(t, result.queueNs() / 1e6);
        long networkNs = result.networkNs();
        e.onUplinkDelivered(t, result.bytesSent(), networkNs);
        if (result.bytesSent() < 16 * 1024 && result.bytesReceived() < 16 * 1024) {
            e.onRtt(t, networkNs / 1e6); // small messages: the network time is the round trip
        } else {
            double downNs = result.bytesReceived() * 8e9 / e.downlinkBitsPerSecond(t);
            long upNs = (long) (networkNs - e.rttMillis(t) * 1e6 - downNs);
            if (upNs > 0) {
                e.onUplink(t, result.bytesSent(), upNs);
            }
        }
    }

    private static boolean hasInput(Session s, String name) {
        for (TensorSpec spec : s.model().inputs()) {
            if (spec.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static Tensor inputNamed(Variant v, List<Tensor> inputs, String name) {
        for (int i = 0; i < inputs.size(); i++) {
            if (v.inputs().get(i).name().equals(name)) {
                return inputs.get(i);
            }
        }
        throw new IllegalStateException("variant " + v.id() + " has no input '" + name + "'");
    }

    /** The local fallback of every remote target: the same variant, wholly on the device. */
    private OffloadResult fallback(OffloadRequest request, Throwable cause) {
        Inflight f = inflight;
        if (f == null) {
            throw new IllegalStateException("fallback without an inference in flight");
        }
        Session s = localSessions.session(f.variant.id());
        for (int i = 0; i < f.inputs.size(); i++) {
            s.setInput(i, f.inputs.get(i));
        }
        long t0 = clock.nanoTime();
        s.run();
        return OffloadResult.builder().outputs(copyOutputs(s)).targetId("local").computeNs(clock.nanoTime() - t0)
                .local(cause).build();
    }

    // ---------------------------------------------------------------------------------------------
    // Routing state

    private Routing buildRouting(Routing previous) {
        List<RemoteTarget> remotes = new ArrayList<>(configured);
        synchronized (discovered) {
            for (Discovered d : discovered.values()) {
                if (d.ready) {
                    remotes.add(d.remote);
                }
            }
        }
        CostTableBuilder tb = new CostTableBuilder(pkg.manifest(), device).latencyModel(config.latencyModel)
                .deviceThreads(engineOptions.threads());
        if (config.fallbackReserveMillis > 0) {
            tb.fallbackReserve(0, config.fallbackReserveMillis);
        } // else the table's default, 1.5x the variant's local run + 5 ms
        if (config.codecs != null) {
            tb.codecs(config.codecs);
        }
        for (RemoteTarget rt : remotes) {
            tb.addTarget(rt.target(), rt.transport()::carriesCodec);
        }
        CostTable table = tb.build();
        EstimatorSet estimators = new EstimatorSet(table, clock::nanoTime, previous == null ? null : previous.estimators,
                config.queueHalfLifeNanos);
        OffloadTarget[] targets = new OffloadTarget[table.targets().size()];
        OffloadTarget[] transports = new OffloadTarget[targets.length];
        setFallbackReserves(table);
        for (int t = 1; t < targets.length; t++) {
            Target target = table.targets().get(t);
            transports[t] = transportOf(remotes, target);
            OffloadTarget existing = previous == null ? null : previous.find(target, transports[t]);
            targets[t] = existing != null ? existing : ResilientTarget.builder(transports[t])
                    .retry(config.retry).circuitBreaker(config.breaker).fallback(this::fallback, this::fallbackReserveNanos)
                    .fallbackExecutor(fallbackExecutor).scheduler(scheduler).clock(clock)
                    .listener(new BreakerToAvailability(target)).build();
        }
        for (int t = 1; t < targets.length; t++) {
            if (breakerOpen(table.targets().get(t))) {
                estimators.setAvailable(t, false); // a rebuilt table must not revive a target whose breaker is open
            }
        }
        return new Routing(table, estimators, targets, transports);
    }

    /**
     * Failed requests take a target out of planning: while its circuit breaker is open the planner does
     * not consider it (rather than paying a failed attempt per inference); when the open period ends it
     * becomes a candidate again, and the next request through it is the breaker's half-open probe.
     */
    private final class BreakerToAvailability implements OffloadEventListener {
        private final Target target;

        BreakerToAvailability(Target target) {
            this.target = target;
        }

        @Override
        public void onCircuitStateChange(String targetId, CircuitBreaker.State from, CircuitBreaker.State to) {
            if (to == CircuitBreaker.State.OPEN) {
                LOG.warn("{} failed repeatedly: not planning with it for {} ms", target,
                        config.breaker.openDurationNs() / 1_000_000);
                openUntil.put(target, clock.nanoTime() + config.breaker.openDurationNs());
                setAvailable(target, false);
                scheduler.schedule(() -> {
                    openUntil.remove(target);
                    setAvailable(target, true);
                }, config.breaker.openDurationNs(), java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Targets whose circuit breaker is open, until when (clock nanos): announcements do not revive them. */
    private final Map<Target, Long> openUntil = new java.util.concurrent.ConcurrentHashMap<>();

    private boolean breakerOpen(Target target) {
        Long until = openUntil.get(target);
        return until != null && clock.nanoTime() < until;
    }

    private void setAvailable(Target target, boolean up) {
        Routing r = routing;
        for (int t = 1; t < r.table.targets().size(); t++) {
            if (r.table.targets().get(t).equals(target)) {
                r.estimators.setAvailable(t, up);
            }
        }
    }

    private static OffloadTarget transportOf(List<RemoteTarget> remotes, Target target) {
        for (RemoteTarget rt : remotes) {
            if (rt.target().equals(target)) {
                return rt.transport();
            }
        }
        throw new IllegalStateException("no transport for " + target);
    }

    /**
     * Time kept back from the deadline for the local fallback of the request in flight: its variant's
     * reserve in the cost table (the configured reserve if one is set, else the variant's local run with
     * margin, 1.5x + 5 ms, so a narrow variant under a tight deadline can still offload); the slowest
     * variant's when the variant is unknown. The planner holds remote plans to the same cut-off, from
     * the same table.
     */
    private long fallbackReserveNanos(OffloadRequest request) {
        Inflight f = inflight;
        Long ns = f == null ? null : fallbackReserves.get(f.variant.id());
        return ns != null ? ns : worstFallbackReserveNs;
    }

    private void setFallbackReserves(CostTable table) {
        Map<String, Long> reserves = new HashMap<>();
        long worst = 0;
        for (int i = 0; i < table.size(); i++) {
            if (table.plan(i).isLocal()) {
                long ns = (long) (table.fallbackReserveMillis(i) * 1e6);
                reserves.put(table.plan(i).variantId(), ns);
                worst = Math.max(worst, ns);
            }
        }
        fallbackReserves = Collections.unmodifiableMap(reserves);
        worstFallbackReserveNs = worst;
    }

    /** Rebuilds the routing state from the configured and discovered servers. */
    private void rebuildRouting() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            Routing old = routing;
            routing = buildRouting(old);
            announcedLoads.applyTo(routing.table, routing.estimators); // a server that (re)entered: its last announcement
            previousEntry = -1; // entries are renumbered
            for (int t = 1; t < old.targets.length; t++) {
                if (routing.find(old.table.targets().get(t), old.transports[t]) == null) {
                    old.targets[t].close();
                    openUntil.remove(old.table.targets().get(t)); // a server that comes back starts afresh
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Fleet

    private DeviceFleetAgent startFleet(Builder b) throws IOException {
        DeviceFleetAgent.Builder fb = DeviceFleetAgent.builder(b.mqtt, b.fleetKey)
                .birth(this::birthSummary)
                .telemetry(this::telemetry, b.telemetryIntervalMillis)
                .onConfig(this::applyConfig)
                .command("set-budgets", args -> {
                    budgets(FleetConfig.parseBudgets(args, "set-budgets", "args"));
                    return CommandResult.ok(MAPPER.createObjectNode().put("budgets", budgets.toString()));
                })
                .command("reprofile", args -> {
                    CommandHandler.requireNoArgs("reprofile", args);
                    if (b.reprofile == null) {
                        return new CommandResult(500, "no profiler is configured on this device", null);
                    }
                    b.reprofile.run();
                    return CommandResult.ok(null);
                });
        DeviceFleetAgent agent;
        try {
            agent = fb.build();
        } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
            throw new IOException("MQTT client could not be created: " + e.getMessage(), e);
        }
        ServerDirectory directory = agent.directory();
        directory.onChange(live -> onServers(directory, live));
        agent.start();
        return agent;
    }

    private void applyConfig(FleetConfig c) {
        if (!java.util.Arrays.asList("adaptive", "local-only", "edge-only", "cloud-only").contains(c.policy())) {
            throw new IllegalArgumentException("unknown policy '" + c.policy() + "'");
        }
        budgets(c.budgets());
        policy = c.policy();
    }

    /**
     * The directory changed (on the fleet's callback thread, as a STATE or DEATH arrives): the load a
     * server announced goes into its targets' queue estimates at once, dated when the server made it;
     * the discovery thread takes the rest from here.
     */
    private void onServers(ServerDirectory directory, List<ServerInfo> live) {
        if (announcedLoads.update(live, directory::ageMillis, clock.nanoTime())) {
            Routing r = routing;
            if (r != null) {
                announcedLoads.applyTo(r.table, r.estimators);
            }
        }
        onDiscoveryThread(() -> updateServers(live));
    }

    /** Runs {@code task} on the discovery thread; after close, not at all (close releases what is left). */
    private void onDiscoveryThread(Runnable task) {
        try {
            discoveryExecutor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("runtime closed; dropping a discovery update");
        }
    }

    /**
     * Follows the live servers (on the discovery thread): a newly announced server, or one announced
     * on a new address, is connected first ({@link OffloadTarget#connect()}: TCP, TLS, HELLO) and
     * enters the cost table only once that succeeded, so the first request planned there does not pay
     * for the handshakes within its deadline. A server that cannot be reached stays out of planning,
     * with nothing charged to it, and is tried again on a later announcement after a backoff.
     */
    private void updateServers(List<ServerInfo> live) {
        if (config.discovery == null) {
            markAvailability(live);
            return;
        }
        boolean changed = false;
        List<Runnable> connects = new ArrayList<>();
        synchronized (discovered) {
            if (discoveryClosed) {
                return;
            }
            List<String> liveIds = new ArrayList<>();
            long now = clock.nanoTime();
            for (ServerInfo s : live) {
                liveIds.add(s.node());
                if (configured.stream().anyMatch(c -> c.id().equals(s.node()))) {
                    continue;
                }
                Discovered d = discovered.get(s.node());
                if (d != null && !d.endpoint.equals(s.endpoint())) {
                    LOG.info("edge server {} moved from {} to {}: reconnecting before planning with it again", s.node(),
                            d.endpoint, s.endpoint());
                    changed |= forget(d);
                    d = null;
                }
                if (d == null) {
                    d = new Discovered(s.node(), s.endpoint());
                    discovered.put(s.node(), d);
                    Discovered fresh = d;
                    connects.add(() -> connect(fresh, s));
                } else if (d.transport == null && now - d.retryAtNanos >= 0) {
                    Discovered again = d;
                    connects.add(() -> connect(again, s));
                }
            }
            for (Discovered d : new ArrayList<>(discovered.values())) {
                if (!liveIds.contains(d.node)) {
                    changed |= forget(d);
                }
            }
        }
        if (changed) {
            rebuildRouting();
        }
        markAvailability(live);
        connects.forEach(Runnable::run);
    }

    /** Drops a server from discovery; true when it was in the cost table (the routing must be rebuilt). */
    private boolean forget(Discovered d) {
        discovered.remove(d.node, d);
        if (d.transport != null && !d.ready) {
            d.transport.close(); // still connecting: no routing owns it yet
        }
        return d.ready; // a connected one is closed by the rebuild that drops it
    }

    /** Opens a transport to an announced server and connects it, bounded by {@link #CONNECT_TIMEOUT_MILLIS}. */
    private void connect(Discovered d, ServerInfo s) {
        OffloadTarget transport;
        try {
            transport = config.discovery.apply(s);
            Objects.requireNonNull(transport, "the discovery connector returned null");
        } catch (RuntimeException e) {
            connected(d, null, e);
            return;
        }
        synchronized (discovered) {
            if (discoveryClosed || discovered.get(d.node) != d) {
                transport.close(); // the server left or moved meanwhile
                return;
            }
            d.transport = transport;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            CompletableFuture<Void> warm = transport.connect();
            warm.whenComplete((v, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(unwrap(e));
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        java.util.concurrent.ScheduledFuture<?> timer = scheduler.schedule(() -> done.completeExceptionally(
                new ConnectionException(transport.id() + ": not connected within " + CONNECT_TIMEOUT_MILLIS + " ms", true,
                        null)), CONNECT_TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        done.whenCompleteAsync((v, e) -> {
            timer.cancel(false);
            connected(d, transport, e);
        }, this::onDiscoveryThread);
    }

    /** The outcome of connecting to a discovered server (on the discovery thread). */
    private void connected(Discovered d, OffloadTarget transport, Throwable failure) {
        synchronized (discovered) {
            boolean current = !discoveryClosed && discovered.get(d.node) == d && d.transport == transport;
            if (!current) {
                if (transport != null) {
                    transport.close(); // superseded: the server left, moved, or the runtime closed
                }
                return;
            }
            if (failure != null) {
                d.transport = null;
                if (transport != null) {
                    transport.close();
                }
                long delay = connectBackoff.capMillis(d.failedAttempts) / 2 + connectBackoff.delayMillis(d.failedAttempts) / 2;
                d.failedAttempts++;
                d.retryAtNanos = clock.nanoTime() + delay * 1_000_000L;
                LOG.warn("cannot connect to discovered edge server {} at {}: {}; not planning with it, trying again on an "
                        + "announcement after {} ms", d.node, d.endpoint, failure.getMessage() != null
                        ? failure.getMessage() : failure.toString(), delay);
                return;
            }
            d.remote = RemoteTarget.edge(d.node, config.discoveryProfile, config.discoveryLink, transport);
            d.ready = true;
            LOG.info("discovered edge server {} at {}: connected, planning with it", d.node, d.endpoint);
        }
        rebuildRouting();
    }

    /**
     * Connects the configured targets in the background, so the first requests do not pay for the
     * handshakes. They stay in planning either way (configured targets are tried until they fail);
     * a request sent while a connection is still being made waits for that one.
     */
    private void connectConfigured() {
        for (RemoteTarget rt : configured) {
            try {
                rt.transport().connect().whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.info("{} is not reachable yet: {}", rt.target(), unwrap(e).getMessage());
                    }
                });
            } catch (RuntimeException e) {
                LOG.info("{} could not start connecting: {}", rt.target(), e.toString());
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private void markAvailability(List<ServerInfo> live) {
        Routing r = routing;
        for (int t = 1; t < r.table.targets().size(); t++) {
            Target target = r.table.targets().get(t);
            if (target.kind() == TargetKind.EDGE) {
                boolean up = live.stream().anyMatch(s -> s.node().equals(target.id()));
                if (!up && config.requireAnnouncement) {
                    r.estimators.setAvailable(t, false);
                } else if (up) {
                    r.estimators.setAvailable(t, !breakerOpen(target));
                }
            }
        }
    }

    private JsonNode birthSummary() {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("profile", device.id());
        n.put("kind", device.kind().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode identity = n.putObject("identity");
        device.identity().forEach(identity::put);
        n.put("cores", device.compute().totalCores());
        n.put("threads", engineOptions.threads());
        n.put("package", pkg.manifest().family());
        ArrayNode vs = n.putArray("variants");
        for (Variant v : pkg.variants()) {
            ObjectNode vn = vs.addObject();
            vn.put("id", v.id());
            vn.put("width", v.width());
            if (v.accuracy() != null) {
                vn.put("accuracy", v.accuracy());
            }
        }
        ArrayNode ts = n.putArray("targets");
        for (Target t : routing.table.targets()) {
            ts.add(t.toString());
        }
        return n;
    }

    private JsonNode telemetry() {
        ObjectNode n = stats.toJson();
        n.put("budgets", budgets.toString());
        n.put("policy", policy);
        Routing r = routing;
        ObjectNode links = n.putObject("links");
        for (int t = 1; t < r.table.targets().size(); t++) {
            ObjectNode l = links.putObject(r.table.targets().get(t).toString());
            l.put("uplinkMbps", Math.round(r.estimators.uplinkBitsPerSecond(t) / 1e4) / 100.0);
            l.put("rttMs", Math.round(r.estimators.rttMillis(t) * 10) / 10.0);
            l.put("queueMs", Math.round(r.estimators.queueMillis(t) * 10) / 10.0);
            l.put("failureRate", Math.round(r.estimators.failureRate(t) * 1000) / 1000.0);
            l.put("available", r.estimators.available(t));
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------
    // Accessors

    public Budgets budgets() {
        return budgets;
    }

    /** Replaces the budgets for the next inferences. */
    public void budgets(Budgets newBudgets) {
        this.budgets = Objects.requireNonNull(newBudgets, "budgets");
    }

    /** The routing policy in force: adaptive, local-only, edge-only or cloud-only. */
    public String policy() {
        return policy;
    }

    public RuntimeStats stats() {
        return stats;
    }

    /**
     * Why the next inference would run where it would: the plan the planner picks now (first) and the
     * best {@code limit - 1} others, with their predicted latency, energy, bytes, accuracy and broken
     * budgets, under the current budgets, policy and link estimates. Allocates; for people and logs.
     */
    public List<PlanOutcome> explain(int limit) {
        synchronized (lock) {
            Routing r = routing;
            return planner.explain(r.table, r.estimators, budgets, previousEntry, limit);
        }
    }

    /** The live estimators (bandwidth, RTT, queue delay, failures per target). */
    public EstimatorSet estimators() {
        return routing.estimators;
    }

    public CostTable costTable() {
        return routing.table;
    }

    /** The runtime's own warm sessions (for benchmarks comparing against a bare session of the same interpreter). */
    WarmSessions warmSessions() {
        return localSessions;
    }

    /** The fleet agent, or null when no MQTT settings were given. */
    public DeviceFleetAgent fleet() {
        return fleet;
    }

    /** Marks a target up or down by id (e.g. from an external health check). */
    public void setAvailable(String targetId, boolean up) {
        Routing r = routing;
        for (int t = 1; t < r.table.targets().size(); t++) {
            if (r.table.targets().get(t).id().equals(targetId)) {
                r.estimators.setAvailable(t, up);
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeQuietly();
    }

    private void closeQuietly() {
        if (fleet != null) {
            fleet.close();
        }
        discoveryExecutor.shutdownNow();
        Routing r = routing;
        if (r != null) {
            for (int t = 1; t < r.targets.length; t++) {
                r.targets[t].close();
            }
        }
        synchronized (discovered) {
            discoveryClosed = true;
            for (Discovered d : discovered.values()) {
                if (d.transport != null && (r == null || !r.uses(d.transport))) {
                    d.transport.close(); // connecting, or connected but not yet in the routing
                }
            }
            discovered.clear();
        }
        inferenceExecutor.shutdownNow();
        fallbackExecutor.shutdownNow();
        scheduler.shutdownNow();
        heads.close();
        localSessions.close();
    }

    /** Builder; {@link #build()} validates every option once. */
    public static final class Builder {
        private final ModelPackage pkg;
        private final DeviceProfile device;
        private final List<RemoteTarget> remotes = new ArrayList<>();
        private Budgets budgets = Budgets.UNLIMITED;
        private InferenceEngine engine = TfLiteEngine.get();
        private EngineOptions engineOptions = EngineOptions.defaults();
        private List<String> codecs;
        private SegmentLatencyModel latencyModel = new ProfileLatencyModel();
        private double hysteresis = Planner.DEFAULT_HYSTERESIS;
        private RetryConfig retry = RetryConfig.DEFAULT;
        private CircuitBreakerConfig breaker = CircuitBreakerConfig.DEFAULT;
        private double fallbackReserveMillis;
        private int headCacheSize = 8;
        private NanoClock clock = SystemNanoClock.INSTANCE;
        private MqttSettings mqtt;
        private PublicKey fleetKey;
        private long telemetryIntervalMillis = 10_000;
        private Runnable reprofile;
        private Function<ServerInfo, OffloadTarget> discovery;
        private DeviceProfile discoveryProfile;
        private String discoveryLink;
        private boolean requireAnnouncement;
        private long queueHalfLifeNanos = EstimatorSet.QUEUE_HALF_LIFE_NANOS;

        private Builder(ModelPackage pkg, DeviceProfile device) {
            this.pkg = Objects.requireNonNull(pkg, "package");
            this.device = Objects.requireNonNull(device, "device");
        }

        /** Adds an edge server or cloud target (its transport is wrapped in the fault-tolerance chain). */
        public Builder target(RemoteTarget target) {
            remotes.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        public Builder budgets(Budgets b) {
            this.budgets = Objects.requireNonNull(b, "budgets");
            return this;
        }

        public Builder engine(InferenceEngine e, EngineOptions options) {
            this.engine = Objects.requireNonNull(e, "engine");
            this.engineOptions = Objects.requireNonNull(options, "engineOptions");
            return this;
        }

        /** Codecs to plan with (default: every codec the package allows). */
        public Builder codecs(List<String> names) {
            for (String n : names) {
                Codecs.create(n); // unknown names fail here
            }
            this.codecs = io.edgesplit.common.Lists.copyOf(names);
            return this;
        }

        public Builder latencyModel(SegmentLatencyModel model) {
            this.latencyModel = Objects.requireNonNull(model, "latencyModel");
            return this;
        }

        public Builder hysteresis(double h) {
            new Planner(h); // validates
            this.hysteresis = h;
            return this;
        }

        public Builder retry(RetryConfig r) {
            this.retry = Objects.requireNonNull(r, "retry");
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerConfig c) {
            this.breaker = Objects.requireNonNull(c, "circuitBreaker");
            return this;
        }

        /**
         * Time kept for the local fallback before a deadline (default: 1.5x the local run of the
         * request's variant + 5 ms). An offload is cut at the deadline less this, and the planner
         * chooses a remote plan only when it is predicted to answer by then.
         */
        public Builder fallbackReserveMillis(double ms) {
            if (!(ms > 0)) {
                throw new IllegalArgumentException("fallbackReserveMillis: must be > 0, was " + ms);
            }
            this.fallbackReserveMillis = ms;
            return this;
        }

        /** Head segments kept loaded (default 8). */
        public Builder headCacheSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("headCacheSize: must be >= 1, was " + n);
            }
            this.headCacheSize = n;
            return this;
        }

        public Builder clock(NanoClock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * Joins a fleet: BIRTH/DEATH, TELEMETRY every {@code telemetryIntervalMillis}, signed CONFIG
         * (budgets and policy), CMD (set-budgets, reprofile, rebirth, report), server discovery.
         */
        public Builder fleet(MqttSettings settings, PublicKey fleetPublicKey, long telemetryIntervalMillis) {
            this.mqtt = Objects.requireNonNull(settings, "settings");
            this.fleetKey = Objects.requireNonNull(fleetPublicKey, "fleetPublicKey");
            this.telemetryIntervalMillis = telemetryIntervalMillis;
            return this;
        }

        /** What the "reprofile" command runs. */
        public Builder reprofile(Runnable action) {
            this.reprofile = action;
            return this;
        }

        /**
         * Uses edge servers announced over MQTT: {@code connector} creates a transport for a server
         * from its announced endpoint (it need not connect: the runtime calls
         * {@link OffloadTarget#connect()} off the inference path and plans with the server only once
         * that succeeded, so the first request sent there does not pay for the handshakes). Such
         * servers are planned with {@code profile} over the device link {@code linkName}, reconnected
         * when they announce a new endpoint, and dropped when they die. The connector runs on the
         * runtime's discovery thread.
         */
        public Builder discoverEdgeServers(DeviceProfile profile, String linkName,
                Function<ServerInfo, OffloadTarget> connector) {
            this.discoveryProfile = Objects.requireNonNull(profile, "profile");
            this.discoveryLink = Objects.requireNonNull(linkName, "linkName");
            this.discovery = Objects.requireNonNull(connector, "connector");
            return this;
        }

        /**
         * Treat configured edge servers as down until they announce themselves over MQTT (and again
         * when their Will arrives). Off by default: configured servers are tried until they fail.
         */
        public Builder requireAnnouncement(boolean require) {
            this.requireAnnouncement = require;
            return this;
        }

        /**
         * How fast a server's queue-delay estimate relaxes towards 0 without news (a reply or an
         * announcement): it halves every {@code ms} (default 5 s). Shorter forgets a burst sooner and
         * underrates a busy server between its announcements more.
         */
        public Builder queueHalfLifeMillis(double ms) {
            if (!(ms >= 1) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("queueHalfLifeMillis: must be finite and >= 1, was " + ms);
            }
            this.queueHalfLifeNanos = Math.round(ms * 1e6);
            return this;
        }

        /**
         * Loads every variant's local model, builds the cost table and, with a fleet, connects.
         *
         * @throws IOException when a segment does not load or verify
         * @throws IllegalArgumentException when a target's link is missing from the device profile
         */
        public EdgeRuntime build() throws IOException {
            if (discovery != null && mqtt == null) {
                throw new IllegalStateException("discoverEdgeServers needs fleet(...) settings");
            }
            return new EdgeRuntime(this);
        }
    }
}
