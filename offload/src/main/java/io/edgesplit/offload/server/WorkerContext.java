package io.edgesplit.offload.server;

import io.edgesplit.codec.Codecs;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.engine.Session;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.InferResponseFrame;
import java.util.HashMap;
import java.util.Map;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * What one thread that runs tails owns (a worker, or an I/O thread for its inline runs): a session per
 * tail (sessions are not thread-safe), one codec per name, reusable flyweights and buffer views. Never
 * shared between threads.
 */
@ServerOnly
final class WorkerContext implements AutoCloseable {

    final Map<Tail, Session> sessions = new HashMap<>();
    final Map<String, TensorCodec> codecs = new HashMap<>();
    final InferRequestFrame request = new InferRequestFrame();
    final InferResponseFrame response = new InferResponseFrame();
    final UnsafeBuffer in = new UnsafeBuffer(0, 0);
    final UnsafeBuffer out = new UnsafeBuffer(0, 0);

    TensorCodec codec(String name) {
        TensorCodec c = codecs.get(name);
        if (c == null) {
            c = Codecs.create(name);
            codecs.put(name, c);
        }
        return c;
    }

    @Override
    public void close() {
        for (Session s : sessions.values()) {
            s.close();
        }
        sessions.clear();
    }
}
