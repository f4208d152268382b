/**
 * The native offload protocol between devices and edge servers: length-prefixed little-endian frames
 * over TCP or TLS, read and written through allocation-free flyweights over Agrona buffers.
 * {@link io.edgesplit.offload.protocol.FrameHeader} documents the common header and the check a
 * receiver runs on a frame's first 8 bytes (magic, version, type, length bounds) before it buffers the
 * body; each frame class documents its body. {@link io.edgesplit.offload.protocol.FrameReader}
 * validates whole frames; malformed input fails with
 * {@link io.edgesplit.offload.protocol.FrameException} and nothing else.
 */
package io.edgesplit.offload.protocol;
