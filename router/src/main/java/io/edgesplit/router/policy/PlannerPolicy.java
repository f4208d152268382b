package io.edgesplit.router.policy;

import io.edgesplit.router.PlanOutcome;

/**
 * A routing policy: chooses the plan of every request of a simulated (or real) run. Policies are
 * registered by name in {@link Policies}, one instance per run; the simulator calls
 * {@link #start} once, then for every request in order {@link #choose}, and tells the policy about
 * finished requests with {@link #onCompleted} at the virtual time they finish (so a policy only
 * learns what it could have observed). Time is the caller's virtual clock: a policy never reads
 * the system clock. Not thread-safe.
 */
public interface PlannerPolicy {

    /** The registered name ("adaptive"). */
    String name();

    /** Called once before the first request. */
    void start(PolicyContext context);

    /**
     * The plan for request {@code request}, which starts at {@code nowMillis}, with the figures the
     * policy expects. The returned object may be reused by the next call.
     */
    PlanOutcome choose(int request, double nowMillis);

    /** A request this policy planned has finished; called at virtual time {@code request.endMillis()}. */
    default void onCompleted(CompletedRequest request) {
    }

    /** Called after the last request finished; may check invariants and throw {@link IllegalStateException}. */
    default void finished() {
    }
}
