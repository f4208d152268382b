package io.edgesplit.runtime;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.modelpackage.ModelPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Head segments loaded on first use, least recently used ones closed beyond the capacity. Not thread-safe. */
final class HeadCache {

    private final InferenceEngine engine;
    private final EngineOptions options;
    private final ModelPackage pkg;
    private final int capacity;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Entry {
        final CompiledModel model;
        final Session session;

        Entry(CompiledModel model, Session session) {
            this.model = model;
            this.session = session;
        }
    }

    HeadCache(InferenceEngine engine, EngineOptions options, ModelPackage pkg, int capacity) {
        this.engine = engine;
        this.options = options;
        this.pkg = pkg;
        this.capacity = capacity;
    }

    Session session(String sha256) {
        Entry e = entries.get(sha256);
        if (e == null) {
            try {
                CompiledModel m = engine.load(pkg.readSegment(sha256), "head " + sha256.substring(0, 12), options);
                e = new Entry(m, m.newSession());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            entries.put(sha256, e);
            evict();
        }
        return e.session;
    }

    private void evict() {
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (entries.size() > capacity && it.hasNext()) {
            Entry old = it.next().getValue();
            it.remove();
            old.session.close();
            old.model.close();
        }
    }

    int size() {
        return entries.size();
    }

    void close() {
        for (Entry e : entries.values()) {
            e.session.close();
            e.model.close();
        }
        entries.clear();
    }
}
