package io.edgesplit.offload.client;

/**
 * A server's load as its STATUS frame reported it. Immutable.
 *
 * @param workers tails the server computes in parallel
 * @param queued requests waiting for a worker
 * @param running requests being computed
 * @param connections open client connections
 * @param estimatedQueueNs expected wait of a new request, in nanoseconds
 * @param completed requests answered with outputs since start
 * @param rejectedBusy requests refused by admission control since start
 * @param expired requests whose deadline passed in the queue since start
 */
public record StatusSnapshot(int workers, int queued, int running, int connections, long estimatedQueueNs,
        long completed, long rejectedBusy, long expired) {
}
