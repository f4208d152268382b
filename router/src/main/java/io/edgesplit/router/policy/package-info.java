/**
 * Routing policies, registered by name in {@link io.edgesplit.router.policy.Policies}: adaptive
 * (ours), local-only, edge-only, cloud-only, best-static (Neurosurgeon) and the oracle (the bound).
 * A policy sees a run through {@link io.edgesplit.router.policy.PolicyContext} and never reads a clock.
 */
package io.edgesplit.router.policy;
