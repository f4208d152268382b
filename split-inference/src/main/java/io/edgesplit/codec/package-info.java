/**
 * Intermediate-tensor codecs: how the tensors crossing a split travel from the head on the device to
 * the tail on the server. {@link io.edgesplit.codec.Codecs} creates a
 * {@link io.edgesplit.codec.TensorCodec} by name ({@code raw}, {@code fp16}, {@code int8},
 * {@code int8c}, each optionally followed by a lossless {@code +lz4} stage); encoding fills a reusable
 * {@link io.edgesplit.codec.CodecStats} with size and reconstruction error; malformed payloads fail
 * with {@link io.edgesplit.codec.CodecException}.
 */
package io.edgesplit.codec;
