package io.edgesplit.runtime;

import io.edgesplit.router.CostTable;
import io.edgesplit.router.Target;
import io.edgesplit.router.TargetKind;
import io.edgesplit.router.estimate.EstimatorSet;
import io.edgesplit.runtime.fleet.ServerInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue wait each edge server last announced in its retained STATE ({@code load.estimatedQueueNs}),
 * dated on the runtime's clock, for the queue estimates of the targets that route to that server
 * (edge targets whose id is the server's node id, configured or discovered). Without it a queue
 * estimate learns only from replies, and a server priced as busy gets no request whose reply could
 * say it no longer is.
 *
 * <p>Each STATE is read once, as it arrives: its time is when the server stamped it (its age in the
 * directory, subtracted from the runtime's clock now), so a state that was made before a reply does
 * not override what the reply said, however late it is delivered. A load that does not validate is
 * ignored as a whole, with a warning naming the server and the field (once per distinct problem),
 * and the server's previous announcement stands. Thread-safe.
 */
final class AnnouncedLoads {

    private static final Logger LOG = LoggerFactory.getLogger(AnnouncedLoads.class);

    /** What one server announced last. */
    private static final class Announced {
        final ServerInfo from; // the STATE last read (the directory keeps the object until the next STATE)
        final double queueMillis; // the last valid announcement; NaN before any
        final long atNanos;
        final String problem; // of the last STATE, null when it was valid

        Announced(ServerInfo from, double queueMillis, long atNanos, String problem) {
            this.from = from;
            this.queueMillis = queueMillis;
            this.atNanos = atNanos;
            this.problem = problem;
        }
    }

    private final Map<String, Announced> byNode = new HashMap<>();

    /**
     * Reads the states that are new in {@code live} (the directory's servers now), dating each by
     * {@code ageMillis} before {@code nowNanos}; forgets servers no longer live.
     *
     * @return true when a new valid announcement was read
     */
    synchronized boolean update(List<ServerInfo> live, ToLongFunction<ServerInfo> ageMillis, long nowNanos) {
        boolean fresh = false;
        Set<String> nodes = new HashSet<>();
        for (ServerInfo s : live) {
            nodes.add(s.node());
            Announced last = byNode.get(s.node());
            if (last != null && last.from == s) {
                continue; // read already
            }
            double previousMillis = last == null ? Double.NaN : last.queueMillis;
            long previousAt = last == null ? 0 : last.atNanos;
            OptionalLong queueNanos;
            try {
                queueNanos = s.estimatedQueueNanos();
            } catch (IllegalArgumentException e) {
                if (last == null || !e.getMessage().equals(last.problem)) {
                    LOG.warn("edge server {} announced an invalid load, ignoring it: {}", s.node(), e.getMessage());
                } else {
                    LOG.debug("edge server {} announced an invalid load again, ignoring it: {}", s.node(), e.getMessage());
                }
                byNode.put(s.node(), new Announced(s, previousMillis, previousAt, e.getMessage()));
                continue;
            }
            if (!queueNanos.isPresent()) {
                byNode.put(s.node(), new Announced(s, previousMillis, previousAt, null));
                continue;
            }
            long at = nowNanos - ageMillis.applyAsLong(s) * 1_000_000L;
            byNode.put(s.node(), new Announced(s, queueNanos.getAsLong() / 1e6, at, null));
            fresh = true;
        }
        byNode.keySet().retainAll(nodes);
        return fresh;
    }

    /**
     * Gives every edge target of {@code table} its server's latest announcement; the estimators keep
     * it only when it is fresher than what they last observed of that queue.
     */
    synchronized void applyTo(CostTable table, EstimatorSet estimators) {
        for (int t = 1; t < table.targets().size(); t++) {
            Target target = table.targets().get(t);
            Announced a = target.kind() == TargetKind.EDGE ? byNode.get(target.id()) : null;
            if (a != null && !Double.isNaN(a.queueMillis) && estimators.onAnnouncedQueue(t, a.queueMillis, a.atNanos)) {
                LOG.debug("{}: queue estimate {} ms, as the server announced", target, a.queueMillis);
            }
        }
    }
}
