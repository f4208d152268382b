package io.edgesplit.offload.server;

import io.edgesplit.codec.CodecException;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.offload.protocol.StatusCode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded pool that runs tails: {@code W} compute slots ("lanes"), one FIFO queue with admission
 * control and same-segment grouping, and one worker thread per lane, each with its own sessions.
 *
 * <p>Lanes are independent of threads: a lane is taken either by a worker, for a group taken from the
 * queue, or by an I/O thread that runs a request to completion itself ({@link #tryRunInline}: the
 * queue is empty and a lane is free). So at most {@code W} tails run at once whoever runs them, the
 * expected wait admission computes sees every run, {@link #drain} waits for every run, and a queued
 * request is never overtaken. A worker takes work only while a lane is free; an inline run that
 * frees its lane with requests queued wakes a worker.
 *
 * <p>Admission ({@link #admit}, on the I/O thread): a request is refused at once with BUSY when the
 * queue is full or when the expected wait (queued work plus the rest of the running work, spread
 * over the workers) plus its own expected compute time would end past its deadline; a fast "no" is
 * cheaper for the device than a late "yes". Expected times are per-tail moving averages; an unseen
 * tail is admitted.
 *
 * <p>Micro-batching: a worker that takes a request also takes queued requests for the same tail, up
 * to {@code maxBatch} in all and no more than its fair share of the queue (so the other workers are
 * not left idle), and runs them back to back on one warm session. Tails have a fixed
 * batch dimension of 1, so this is grouping, not a batched Invoke: it saves session switches and
 * keeps the tail's weights in cache, and is reported to clients as the reply's batch size.
 *
 * <p>A request whose deadline can no longer be met when a worker takes it is answered with
 * DEADLINE_EXCEEDED without computing it.
 */
@ServerOnly
final class TailScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(TailScheduler.class);

    /** Admission verdicts (hot path: a code, not an exception). */
    static final int ADMITTED = 0;
    static final int REJECTED_QUEUE_FULL = 1;
    static final int REJECTED_DEADLINE = 2;
    static final int REJECTED_DRAINING = 3;

    private final NanoClock clock;
    private final InferenceEngine engine;
    private final EngineOptions engineOptions;
    private final int maxQueued;
    private final int maxBatch;
    private final long inlineMaxNs;
    private final Thread[] threads;
    /** Per lane: when its current run is expected to end, 0 while the lane is free. */
    private final long[] busyUntilNs;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the queue may have become non-empty or a lane free while work is queued. */
    private final Condition notEmpty = lock.newCondition();
    private final Condition idle = lock.newCondition();
    private final ArrayDeque<InferJob> queue = new ArrayDeque<>();
    private long queuedWorkNs;
    private int running;
    private int freeLanes;
    private boolean draining;
    private boolean stopped;

    // counters, guarded by lock
    private long completed;
    private long rejectedBusy;
    private long expired;
    private long failed;
    private long batches;
    private long batchedRequests;
    private long inline;

    private final Runnable onInternalError;

    /**
     * @param inlineMaxNs longest expected compute of a request {@link #tryRunInline} runs on the
     *     caller's thread; 0 never runs one there
     */
    TailScheduler(int workers, int maxQueued, int maxBatch, long inlineMaxNs, NanoClock clock, InferenceEngine engine,
            EngineOptions engineOptions, Runnable onInternalError) {
        this.onInternalError = onInternalError;
        this.clock = clock;
        this.engine = engine;
        this.engineOptions = engineOptions;
        this.maxQueued = maxQueued;
        this.maxBatch = maxBatch;
        this.inlineMaxNs = inlineMaxNs;
        this.threads = new Thread[workers];
        this.busyUntilNs = new long[workers];
        this.freeLanes = workers;
        for (int i = 0; i < workers; i++) {
            threads[i] = new Thread(this::work, "edgesplit-worker-" + i);
            threads[i].setDaemon(true);
        }
    }

    void start() {
        for (Thread t : threads) {
            t.start();
        }
    }

    int workers() {
        return threads.length;
    }

    /**
     * Queues the job or says why not.
     *
     * @return {@link #ADMITTED}, {@link #REJECTED_QUEUE_FULL}, {@link #REJECTED_DEADLINE} or
     *     {@link #REJECTED_DRAINING}; when rejected for load, the job's {@code retryAfterNs} holds
     *     the expected wait
     */
    int admit(InferJob job) {
        long now = clock.nanoTime();
        lock.lock();
        try {
            if (draining || stopped) {
                return REJECTED_DRAINING;
            }
            long wait = expectedWaitNs(now);
            if (queue.size() >= maxQueued) {
                rejectedBusy++;
                job.retryAfterNs = wait;
                return REJECTED_QUEUE_FULL;
            }
            long estimate = job.tail.estimateNs();
            if (now + wait + estimate > job.deadlineNs) {
                rejectedBusy++;
                job.retryAfterNs = wait;
                return REJECTED_DEADLINE;
            }
            job.estimateNs = estimate;
            queue.addLast(job);
            queuedWorkNs += estimate;
            if (freeLanes > 0) {
                notEmpty.signal();
            }
            return ADMITTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs the job on the calling thread, now, when that overtakes nobody and fits the bound: inline
     * runs are allowed, the tail's learned compute estimate is known and at most the bound, nothing
     * is queued, a lane is free, the server is not draining and the deadline can be met. The run holds
     * a lane like a worker's: it counts as running, in the expected wait and in the counters, and
     * {@link #drain} waits for it. Its reply is sent from the calling thread, its queue time is 0.
     *
     * @param context the calling thread's own sessions (never another thread's)
     * @return false, having done nothing, when the job must go through {@link #admit} instead
     */
    boolean tryRunInline(InferJob job, WorkerContext context) {
        long estimate = job.tail.estimateNs();
        // an unseen tail (estimate 0) may take any time: its first run may have to load and compile it
        if (estimate <= 0 || estimate > inlineMaxNs) {
            return false;
        }
        int lane;
        lock.lock();
        try {
            long now = clock.nanoTime();
            if (draining || stopped || !queue.isEmpty() || freeLanes == 0 || now + estimate > job.deadlineNs) {
                return false; // admission queues it, or refuses it as it would have anyway
            }
            lane = takeLane(now + Math.max(1, estimate));
            job.estimateNs = estimate;
            running++;
            inline++;
        } finally {
            lock.unlock();
        }
        try {
            run(job, 1, context, true);
        } finally {
            lock.lock();
            try {
                running--;
                freeLane(lane);
                if (!queue.isEmpty()) {
                    notEmpty.signal(); // queued while this ran: a worker takes the lane
                } else if (running == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
        return true;
    }

    /** Takes a free lane, busy until {@code untilNs}. Caller holds the lock and has seen a free lane. */
    private int takeLane(long untilNs) {
        for (int i = 0; i < busyUntilNs.length; i++) {
            if (busyUntilNs[i] == 0) {
                busyUntilNs[i] = untilNs;
                freeLanes--;
                return i;
            }
        }
        throw new IllegalStateException("no free lane");
    }

    private void freeLane(int lane) {
        busyUntilNs[lane] = 0;
        freeLanes++;
    }

    /** Queued work plus the rest of the running work, over the lanes. Caller holds the lock. */
    private long expectedWaitNs(long now) {
        if (queue.isEmpty() && freeLanes > 0) {
            return 0;
        }
        long runningRest = 0;
        for (long until : busyUntilNs) {
            if (until != 0) {
                runningRest += Math.max(0, until - now);
            }
        }
        return (queuedWorkNs + runningRest) / busyUntilNs.length;
    }

    private void work() {
        WorkerContext context = new WorkerContext();
        List<InferJob> group = new ArrayList<>(maxBatch);
        try {
            while (true) {
                group.clear();
                int lane;
                lock.lock();
                try {
                    // there are as many workers as lanes, so while a lane is free some worker waits here
                    while ((queue.isEmpty() || freeLanes == 0) && !stopped) {
                        notEmpty.await();
                    }
                    if (stopped && (queue.isEmpty() || freeLanes == 0)) {
                        return;
                    }
                    InferJob first = queue.pollFirst();
                    group.add(first);
                    long work = first.estimateNs;
                    // take a fair share of the waiting requests, so that grouping never leaves a worker idle
                    int share = Math.min(maxBatch, (queue.size() + 1 + threads.length - 1) / threads.length);
                    for (Iterator<InferJob> it = queue.iterator(); it.hasNext() && group.size() < share;) {
                        InferJob j = it.next();
                        if (j.tail == first.tail) {
                            it.remove();
                            group.add(j);
                            work += j.estimateNs;
                        }
                    }
                    for (InferJob j : group) {
                        queuedWorkNs -= j.estimateNs;
                    }
                    running += group.size();
                    lane = takeLane(clock.nanoTime() + Math.max(1, work));
                    if (group.size() > 1) {
                        batches++;
                        batchedRequests += group.size();
                    }
                } finally {
                    lock.unlock();
                }
                for (InferJob job : group) {
                    run(job, group.size(), context, false);
                }
                lock.lock();
                try {
                    running -= group.size();
                    freeLane(lane);
                    if (running == 0 && queue.isEmpty()) {
                        idle.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            context.close();
        }
    }

    private void run(InferJob job, int batchSize, WorkerContext context, boolean inline) {
        try {
            long start = clock.nanoTime();
            if (start + job.tail.estimateNs() > job.deadlineNs) {
                count(Outcome.EXPIRED);
                job.fail(StatusCode.DEADLINE_EXCEEDED, "deadline passed after " + (start - job.receivedNs) / 1000
                        + " us in the queue; not computed", 0);
                return;
            }
            long invokeStart = start;
            Session session = context.sessions.get(job.tail);
            if (session == null) {
                session = job.tail.model(engine, engineOptions).newSession();
                context.sessions.put(job.tail, session);
                invokeStart = clock.nanoTime();
            }
            job.fillInputs(session, context);
            session.run();
            long end = clock.nanoTime();
            // admission's estimate learns the steady cost; the reply counts this worker's one-time
            // session build as compute, not as queueing: a client that took it for queue time would
            // believe the server congested long after it is not
            job.tail.recordComputeNs(end - invokeStart);
            // an inline run was never queued: the microseconds of validation before it are protocol work
            job.reply(session, inline ? 0 : start - job.receivedNs, end - start, batchSize, context);
            count(Outcome.COMPLETED);
        } catch (CodecException | InferJob.BadRequestException e) {
            count(Outcome.FAILED);
            job.fail(StatusCode.BAD_REQUEST, e.getMessage(), 0);
        } catch (IOException | RuntimeException e) {
            count(Outcome.FAILED);
            LOG.error("tail {} failed", job.tail, e);
            onInternalError.run();
            job.fail(StatusCode.INTERNAL, "the server failed to run the tail", 0);
        } finally {
            job.release();
        }
    }

    @ServerOnly
    private enum Outcome { COMPLETED, EXPIRED, FAILED }

    private void count(Outcome o) {
        lock.lock();
        try {
            switch (o) {
                case COMPLETED:
                    completed++;
                    break;
                case EXPIRED:
                    expired++;
                    break;
                default:
                    failed++;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops admitting, waits up to {@code timeoutNs} for queued and running work to finish, then stops
     * the workers; whatever is still queued is answered with SHUTTING_DOWN.
     *
     * @return true when everything finished within the timeout
     */
    boolean drain(long timeoutNs) throws InterruptedException {
        List<InferJob> abandoned = new ArrayList<>();
        boolean clean;
        lock.lock();
        try {
            draining = true;
            long left = timeoutNs;
            while ((running > 0 || !queue.isEmpty()) && left > 0) {
                left = idle.awaitNanos(left);
            }
            clean = running == 0 && queue.isEmpty();
            abandoned.addAll(queue);
            queue.clear();
            queuedWorkNs = 0;
            stopped = true;
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        for (InferJob j : abandoned) {
            j.fail(StatusCode.SHUTTING_DOWN, "the server is shutting down", 0);
            j.release();
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        return clean;
    }

    boolean draining() {
        lock.lock();
        try {
            return draining;
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot of the load. */
    ServerLoad load(int connections) {
        lock.lock();
        try {
            return new ServerLoad(threads.length, queue.size(), running, connections,
                    expectedWaitNs(clock.nanoTime()), completed, rejectedBusy, expired, failed, batches, batchedRequests,
                    inline);
        } finally {
            lock.unlock();
        }
    }
}
