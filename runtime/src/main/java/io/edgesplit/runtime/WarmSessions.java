package io.edgesplit.runtime;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.Variant;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One loaded model and session per variant of a package, for running wholly on the device: what
 * makes switching width between two inferences a lookup instead of a model load. Owns native memory
 * until {@link #close()}. Not thread-safe (sessions are not).
 */
public final class WarmSessions implements AutoCloseable {

    private final InferenceEngine engine;
    private final EngineOptions options;
    private final ModelPackage pkg;
    private final Map<String, CompiledModel> models = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();

    /** Loads every variant's full model (hash-verified) and creates its session. */
    public WarmSessions(ModelPackage pkg, InferenceEngine engine, EngineOptions options) throws IOException {
        this.engine = engine;
        this.options = options;
        this.pkg = pkg;
        try {
            for (Variant v : pkg.variants()) {
                CompiledModel m = load(v);
                models.put(v.id(), m);
                sessions.put(v.id(), m.newSession());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private CompiledModel load(Variant v) throws IOException {
        return engine.load(pkg.readSegment(v.fullLocal().headSegment()), v.id() + " (local)", options);
    }

    /**
     * The warm session of a variant.
     *
     * @throws IllegalArgumentException naming the variant when the package has no such variant
     */
    public Session session(String variantId) {
        Session s = sessions.get(variantId);
        if (s == null) {
            throw new IllegalArgumentException("no variant '" + variantId + "', the package has " + sessions.keySet());
        }
        return s;
    }

    /**
     * Loads a variant's model and creates a session from scratch, the way a runtime without warm
     * sessions would on every width switch. For comparison in benchmarks; the caller closes both.
     */
    public Session loadOnDemand(String variantId) throws IOException {
        CompiledModel m = load(pkg.variant(variantId));
        Session s = m.newSession();
        m.close(); // the session keeps the model alive until the session closes
        return s;
    }

    @Override
    public void close() {
        sessions.values().forEach(Session::close);
        models.values().forEach(CompiledModel::close);
        sessions.clear();
        models.clear();
    }
}
