package io.edgesplit.offload.server;

/**
 * The edge server's load at one moment: what it reports in STATUS frames and on
 * {@code GET /v2/edgesplit/load}, and what it advertises to the fleet. Immutable.
 *
 * @param workers tails computed in parallel (compute slots, whoever runs them: a worker or an I/O thread)
 * @param queued requests waiting for a worker
 * @param running requests being computed, inline runs included
 * @param connections open native-protocol connections
 * @param estimatedQueueNs expected wait of a new request, in nanoseconds
 * @param completed requests answered with outputs since start
 * @param rejectedBusy requests refused by admission control since start
 * @param expired requests whose deadline passed in the queue (not computed) since start
 * @param failed requests that failed (bad input, engine error) since start
 * @param batches worker takes that grouped more than one request
 * @param batchedRequests requests that ran in such groups
 * @param inline requests run to completion on the I/O thread that received them instead of a worker,
 *     counted as they start (also counted in {@code completed}, {@code failed} or {@code expired})
 */
@ServerOnly
public record ServerLoad(int workers, int queued, int running, int connections, long estimatedQueueNs,
        long completed, long rejectedBusy, long expired, long failed, long batches, long batchedRequests,
        long inline) {
}
