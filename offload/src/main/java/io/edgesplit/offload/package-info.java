/**
 * Offloading tail segments to edge servers and the cloud. The API the runtime uses:
 * {@link io.edgesplit.offload.OffloadTarget#submit} takes an {@link io.edgesplit.offload.OffloadRequest}
 * (tail segment SHA-256, codec, crossing tensors) and a deadline and completes with an
 * {@link io.edgesplit.offload.OffloadResult} (outputs, queue/compute/round-trip time, bytes each way)
 * or an {@link io.edgesplit.offload.OffloadException} subclass. Implementations:
 * {@link io.edgesplit.offload.client.NativeOffloadClient} (native binary protocol, see
 * {@link io.edgesplit.offload.protocol}) and the Open Inference Protocol v2 client; the edge server is
 * {@link io.edgesplit.offload.server.EdgeServer}. The client side (this package, {@code client},
 * {@code protocol}, {@code oip}, {@code resilience}) uses only APIs Android has; the server uses Netty.
 */
package io.edgesplit.offload;
