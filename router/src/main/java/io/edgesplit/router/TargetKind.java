package io.edgesplit.router;

/** Where a plan runs the model's tail: nowhere (all on the device), on an edge server, or in the cloud. */
public enum TargetKind {
    LOCAL,
    EDGE,
    CLOUD
}
