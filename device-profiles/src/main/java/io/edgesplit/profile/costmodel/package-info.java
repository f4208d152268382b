/**
 * Latency prediction for segments that were not measured: per-segment features from the model graph
 * ({@link io.edgesplit.profile.costmodel.SegmentFeatures}), a Neurosurgeon-style per-operator-type
 * regression fitted with non-negative least squares
 * ({@link io.edgesplit.profile.costmodel.OperatorCostModel}), its held-out error
 * ({@link io.edgesplit.profile.costmodel.HeldOutEvaluation}), and the predictor the router calls
 * ({@link io.edgesplit.profile.costmodel.LatencyPredictor}), which prefers measurements and scales
 * other devices' models by throughput ({@link io.edgesplit.profile.costmodel.ThroughputEstimate}).
 */
package io.edgesplit.profile.costmodel;
