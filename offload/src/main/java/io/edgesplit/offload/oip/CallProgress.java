package io.edgesplit.offload.oip;

import io.edgesplit.offload.OffloadTimeoutException;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;
import org.agrona.concurrent.NanoClock;

/**
 * How far one inference call got, so that its timeout can say what it sent and where it stalled
 * (OkHttp's own timeout says only "timeout"). An {@link EventListener} for the phases (connection,
 * start of sending, end of the upload, start of the reply) and a {@link RequestBody} wrapper that
 * counts the body bytes handed to the socket while they are being written, so a stalled upload
 * reports how far it got. Bytes counted are the request body's (the JSON header and binary tensor
 * data), not the HTTP headers, as in a reply's {@code bytesSent}. Handed to the socket is not
 * delivered: up to a socket send buffer of them may still be on their way.
 */
final class CallProgress extends EventListener {

    /** Body bytes written between two updates of the count. */
    private static final int CHUNK = 16 * 1024;

    private final NanoClock clock;
    private final long bodyBytes;
    private final long createdNs;
    private volatile boolean connected;
    private volatile long sendStartNs = -1;
    private volatile long uploadEndNs = -1;
    private volatile long replyStartNs = -1;
    private volatile long handed;

    CallProgress(NanoClock clock, long bodyBytes) {
        this.clock = clock;
        this.bodyBytes = bodyBytes;
        this.createdNs = clock.nanoTime();
    }

    @Override
    public void connectionAcquired(Call call, Connection connection) {
        connected = true;
    }

    @Override
    public void requestHeadersStart(Call call) {
        if (sendStartNs < 0) {
            sendStartNs = clock.nanoTime();
        }
    }

    @Override
    public void requestBodyEnd(Call call, long byteCount) {
        handed = byteCount;
        uploadEndNs = clock.nanoTime();
    }

    @Override
    public void responseHeadersStart(Call call) {
        if (replyStartNs < 0) {
            replyStartNs = clock.nanoTime();
        }
    }

    /** {@code body}, counting its bytes into this call's progress as they reach the socket. */
    RequestBody wrap(byte[] body, MediaType type) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return type;
            }

            @Override
            public long contentLength() {
                return body.length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                handed = 0;
                for (int off = 0; off < body.length; off += CHUNK) {
                    int n = Math.min(CHUNK, body.length - off);
                    sink.write(body, off, n); // blocks once the socket's send buffer is full
                    handed = off + n - sink.getBuffer().size();
                }
            }
        };
    }

    /** Body bytes handed to the socket so far. */
    long handed() {
        return handed;
    }

    /**
     * The timeout of this call, {@code now}: the body bytes handed to the socket, the time since the
     * sending started (0 when it had not), the phase it stalled in, and whether the reply had begun
     * (then the upload had arrived and the stall was the server's or the downlink's, not the uplink's).
     */
    OffloadTimeoutException timeout(String id, String cause) {
        long now = clock.nanoTime();
        long start = sendStartNs;
        long end = uploadEndNs;
        long reply = replyStartNs;
        long sent = handed;
        String phase;
        if (start < 0) {
            phase = connected ? "about to send" : "connecting";
            sent = 0;
        } else if (reply >= 0) {
            phase = "reading the response (the server answered " + ms(reply - start) + " ms after sending started)";
        } else if (end >= 0) {
            phase = "waiting for the server after the whole upload (" + bodyBytes + " bytes handed to the socket in "
                    + ms(end - start) + " ms, then " + ms(now - end) + " ms without an answer)";
        } else {
            phase = "uploading: " + sent + " of " + bodyBytes + " bytes handed to the socket in " + ms(now - start) + " ms";
        }
        String message = id + ": no reply within the deadline (" + ms(now - createdNs) + " ms), " + phase
                + (cause == null ? "" : " [" + cause + "]");
        return new OffloadTimeoutException(message, sent, start < 0 ? 0 : now - start,
                end < 0 || start < 0 ? -1 : end - start, reply >= 0);
    }

    private static String ms(long ns) {
        return Long.toString(Math.round(ns / 1e6));
    }
}
