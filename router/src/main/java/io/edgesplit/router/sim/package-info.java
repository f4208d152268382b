/**
 * The trace-driven policy simulator: bandwidth traces ({@link io.edgesplit.router.sim.BandwidthTrace})
 * read by one {@link io.edgesplit.router.sim.TraceReader} per format, a link model, the
 * {@link io.edgesplit.router.sim.Simulator} on a virtual clock, and reports as a table, CSV or JSON.
 * No clock reads, no threads, no java.awt: plots are drawn by the command line.
 */
package io.edgesplit.router.sim;
