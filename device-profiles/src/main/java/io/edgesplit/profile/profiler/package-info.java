/**
 * The on-device profiler: {@link io.edgesplit.profile.profiler.SegmentProfiler} measures every segment
 * of a model package (init, first inference, warm-up, median/p95 of steady runs, memory) at each
 * thread count, fits a cost model per thread count, and records both in a
 * {@link io.edgesplit.profile.DeviceProfile} ({@link io.edgesplit.profile.profiler.ProfilingReport#applyTo}).
 */
package io.edgesplit.profile.profiler;
