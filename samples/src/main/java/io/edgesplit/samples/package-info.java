/**
 * Runnable samples that use EdgeSplit's public API the way an app, an edge server and an operator
 * would: {@link io.edgesplit.samples.AppLoop}, {@link io.edgesplit.samples.EdgeServerSample} and
 * {@link io.edgesplit.samples.FleetControllerSample}. Run them with {@code samples/run}; see
 * samples/README.md.
 */
package io.edgesplit.samples;
