package io.edgesplit.router.policy;

import io.edgesplit.common.ProgressListener;
import io.edgesplit.router.Budgets;
import io.edgesplit.router.CostTable;
import io.edgesplit.router.Estimates;
import io.edgesplit.router.Planner;

/**
 * What a policy may know about a run before it starts: the cost table, the budgets, the planner,
 * the request schedule and the mean conditions of the link. {@link #realize} tells what a plan will
 * actually cost: only the oracle (the bound) may use it.
 */
public interface PolicyContext {

    CostTable table();

    Budgets budgets();

    /** The planner to plan with (its hysteresis is the run's). */
    Planner planner();

    int requestCount();

    /** When request {@code request} starts, on the run's virtual clock. Non-decreasing in {@code request}. */
    double requestStartMillis(int request);

    /** Mean time between requests. */
    double meanRequestIntervalMillis();

    /**
     * The link as a static policy would assume it: every remote target at the traces' mean uplink
     * and downlink rates and its RTT and queue, radio idle for one request interval.
     */
    Estimates meanConditions();

    /** Number of distinct device radios (links) the remote targets use. */
    int radioCount();

    /** The radio target {@code target} is reached over, or -1 for the device itself. */
    int radioOf(int target);

    /** Whether a request that finds radio {@code radio} idle waits for a promotion (an LTE or 3G radio). */
    boolean radioPromotes(int radio);

    /** How long radio {@code radio} stays connected after its last transfer. */
    double radioTailMillis(int radio);

    /**
     * What running {@code entry} for request {@code request} costs in this run: latency, device energy
     * and bytes from the traces, given whether the request finds the plan's radio connected.
     * Deterministic (losses are drawn from the run's seed and the request), so it equals what the
     * simulator will realize.
     */
    void realize(int request, int entry, boolean radioConnected, RealizedCost out);

    /** Where long preparations (the oracle's search) report progress. */
    ProgressListener progress();
}
