package io.edgesplit.runtime.fleet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounded store-and-forward queue for messages published while the broker is away: when full, the
 * oldest message is dropped and counted, so memory stays bounded and the newest picture of the
 * device survives. Thread-safe.
 */
public final class Outbox {

    /** A message waiting to be published. */
    public static final class Entry {
        final String topic;
        final byte[] payload;
        final int qos;
        final boolean retained;

        Entry(String topic, byte[] payload, int qos, boolean retained) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.retained = retained;
        }

        public String topic() {
            return topic;
        }

        public byte[] payload() {
            return payload.clone();
        }
    }

    private final int capacity;
    private final ArrayDeque<Entry> queue;
    private long dropped;

    public Outbox(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    public synchronized void add(String topic, byte[] payload, int qos, boolean retained) {
        if (queue.size() == capacity) {
            queue.pollFirst();
            dropped++;
        }
        queue.addLast(new Entry(topic, payload, qos, retained));
    }

    /** Removes and returns everything queued, oldest first. */
    public synchronized List<Entry> drain() {
        List<Entry> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    /** Puts entries that could not be sent back at the front, keeping their order (and the bound). */
    public synchronized void requeue(List<Entry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (queue.size() == capacity) {
                dropped++; // the requeued entry is older than everything queued: it is the one to drop
                continue;
            }
            queue.addFirst(entries.get(i));
        }
    }

    public synchronized int size() {
        return queue.size();
    }

    /** Messages dropped because the outbox was full. */
    public synchronized long dropped() {
        return dropped;
    }

    public int capacity() {
        return capacity;
    }
}
