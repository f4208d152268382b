package io.edgesplit.offload.protocol;

/**
 * STATUS: the server's load report, the answer to STATUS_REQUEST. Devices use it to estimate the
 * queueing delay they would meet. Flyweight; see {@link Frame}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |               header (16 bytes, type = 9)                     |  0
 * +---------------------------------------------------------------+
 * |  workers (i32)                                                | 16
 * +---------------------------------------------------------------+
 * |  queued (i32): requests waiting for a worker                  | 20
 * +---------------------------------------------------------------+
 * |  running (i32): requests being computed                       | 24
 * +---------------------------------------------------------------+
 * |  connections (i32)                                            | 28
 * +---------------------------------------------------------------+
 * |  estimatedQueueNs (i64): expected wait of a new request       | 32
 * +---------------------------------------------------------------+
 * |  completed (i64): requests answered with outputs              | 40
 * +---------------------------------------------------------------+
 * |  rejectedBusy (i64): refused by admission control             | 48
 * +---------------------------------------------------------------+
 * |  expired (i64): deadline passed in the queue, not computed    | 56
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class StatusFrame extends Frame {

    public static final int WORKERS_OFFSET = 16;
    public static final int QUEUED_OFFSET = 20;
    public static final int RUNNING_OFFSET = 24;
    public static final int CONNECTIONS_OFFSET = 28;
    public static final int ESTIMATED_QUEUE_NS_OFFSET = 32;
    public static final int COMPLETED_OFFSET = 40;
    public static final int REJECTED_BUSY_OFFSET = 48;
    public static final int EXPIRED_OFFSET = 56;
    public static final int LENGTH = 64;

    @Override
    public FrameType type() {
        return FrameType.STATUS;
    }

    @Override
    public StatusFrame wrap(org.agrona.DirectBuffer source, int offset, int length) {
        super.wrap(source, offset, length);
        return this;
    }

    @Override
    public StatusFrame wrapForEncode(org.agrona.MutableDirectBuffer target, int offset, int capacity) {
        super.wrapForEncode(target, offset, capacity);
        return this;
    }

    @Override
    public StatusFrame requestId(long requestId) {
        super.requestId(requestId);
        return this;
    }

    @Override
    protected void validateBody(FrameLimits limits) throws FrameException {
        if (workers() < 0 || queued() < 0 || running() < 0 || connections() < 0 || estimatedQueueNs() < 0
                || completed() < 0 || rejectedBusy() < 0 || expired() < 0) {
            throw malformed("STATUS: counters must be >= 0");
        }
    }

    public int workers() {
        return buffer.getInt(WORKERS_OFFSET, LE);
    }

    public StatusFrame workers(int v) {
        buffer.putInt(WORKERS_OFFSET, v, LE);
        return this;
    }

    public int queued() {
        return buffer.getInt(QUEUED_OFFSET, LE);
    }

    public StatusFrame queued(int v) {
        buffer.putInt(QUEUED_OFFSET, v, LE);
        return this;
    }

    public int running() {
        return buffer.getInt(RUNNING_OFFSET, LE);
    }

    public StatusFrame running(int v) {
        buffer.putInt(RUNNING_OFFSET, v, LE);
        return this;
    }

    public int connections() {
        return buffer.getInt(CONNECTIONS_OFFSET, LE);
    }

    public StatusFrame connections(int v) {
        buffer.putInt(CONNECTIONS_OFFSET, v, LE);
        return this;
    }

    public long estimatedQueueNs() {
        return buffer.getLong(ESTIMATED_QUEUE_NS_OFFSET, LE);
    }

    public StatusFrame estimatedQueueNs(long v) {
        buffer.putLong(ESTIMATED_QUEUE_NS_OFFSET, v, LE);
        return this;
    }

    public long completed() {
        return buffer.getLong(COMPLETED_OFFSET, LE);
    }

    public StatusFrame completed(long v) {
        buffer.putLong(COMPLETED_OFFSET, v, LE);
        return this;
    }

    public long rejectedBusy() {
        return buffer.getLong(REJECTED_BUSY_OFFSET, LE);
    }

    public StatusFrame rejectedBusy(long v) {
        buffer.putLong(REJECTED_BUSY_OFFSET, v, LE);
        return this;
    }

    public long expired() {
        return buffer.getLong(EXPIRED_OFFSET, LE);
    }

    public StatusFrame expired(long v) {
        buffer.putLong(EXPIRED_OFFSET, v, LE);
        return this;
    }

    @Override
    protected int encodedLength() {
        return LENGTH;
    }
}
