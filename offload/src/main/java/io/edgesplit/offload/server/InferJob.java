package io.edgesplit.offload.server;

import io.edgesplit.engine.Session;
import io.edgesplit.offload.protocol.StatusCode;
import java.io.IOException;

/**
 * One request waiting for or running on a worker (or, native requests only, run inline by the I/O
 * thread that received it), whichever face (native, HTTP) it came from. The
 * face supplies how inputs get into the session and how outputs and errors get back to the client.
 */
@ServerOnly
abstract class InferJob {

    final Tail tail;
    final long receivedNs;
    final long deadlineNs;
    long estimateNs;
    long retryAfterNs;

    InferJob(Tail tail, long receivedNs, long deadlineNs) {
        this.tail = tail;
        this.receivedNs = receivedNs;
        this.deadlineNs = deadlineNs;
    }

    /**
     * Writes the inputs into the session's input tensors (decoding them).
     *
     * @throws IOException (a {@code CodecException} or {@link BadRequestException}) when they do not fit
     */
    abstract void fillInputs(Session session, WorkerContext context) throws IOException;

    /** Sends the session's outputs; called on the thread that ran the tail, right after the run. */
    abstract void reply(Session session, long queueNs, long computeNs, int batchSize, WorkerContext context);

    /** Sends an error instead of outputs. Exactly one of reply/fail is called per job. */
    abstract void fail(StatusCode status, String message, long retryAfterNs);

    /** Frees what the job holds (buffers); called once after reply or fail. */
    void release() {
    }

    /** The request is well formed but does not fit the tail. */
    @ServerOnly
    static final class BadRequestException extends IOException {
        private static final long serialVersionUID = 1L;

        BadRequestException(String message) {
            super(message);
        }
    }
}
