package io.edgesplit.codec;

import io.edgesplit.common.Lists;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The registry of {@link TensorCodec}s by name: what the planner chooses from and what the wire
 * protocol names. Each {@link #create} returns a new instance (codecs are not thread-safe).
 *
 * <table>
 * <caption>Codecs and their payloads (all little-endian; layouts in each codec's class)</caption>
 * <tr><th>name</th><th>FP32 tensor of n elements</th><th>every other type</th></tr>
 * <tr><td>{@code raw}</td><td>4n bytes as they are</td><td>bytes as they are</td></tr>
 * <tr><td>{@code fp16}</td><td>n IEEE halves (2n bytes)</td><td>passthrough (raw)</td></tr>
 * <tr><td>{@code int8}</td><td>f32 scale, i32 zero point, n uint8 codes (8+n bytes)</td>
 *     <td>passthrough (raw)</td></tr>
 * <tr><td>{@code int8c}</td><td>i32 C, C f32 scales, C i32 zero points, n uint8 codes (4+8C+n bytes),
 *     channel = last axis</td><td>passthrough (raw)</td></tr>
 * <tr><td>{@code X+lz4}</td><td colspan="2">u8 method (0 stored, 1 LZ4 block), 3 zero bytes,
 *     i32 inner length, then X's payload stored or as one LZ4 block</td></tr>
 * </table>
 *
 * <p>Passthrough: 8-bit quantized tensors (UINT8/INT8 with quantization) are already as compact as
 * the lossy codecs would make them, so {@code fp16}, {@code int8} and {@code int8c} send their bytes
 * unchanged and say so in {@link CodecStats#passthrough()}; so do every other non-FP32 type, which
 * those codecs do not apply to. The {@code +lz4} stage still compresses a passed-through payload.
 *
 * <p>Non-finite values: {@code raw} and {@code fp16} keep NaN and infinities (fp16 turns finite
 * values beyond &plusmn;65504 into infinities); {@code int8}/{@code int8c} clamp +Infinity and
 * -Infinity to the ends of the range and decode NaN as 0.
 *
 * <p>Allocation: after the first call for a spec, encode and decode allocate nothing, except that
 * the {@code +lz4} encoders allocate lz4-java's 16 KiB hash table per call (its pure-Java compressor
 * cannot reuse one).
 */
public final class Codecs {

    private static final Map<String, Supplier<TensorCodec>> FACTORIES;
    private static final List<String> NAMES;

    static {
        Map<String, Supplier<TensorCodec>> bases = new LinkedHashMap<>();
        bases.put(RawCodec.NAME, RawCodec::new);
        bases.put(Fp16Codec.NAME, Fp16Codec::new);
        bases.put(Int8Codec.NAME, Int8Codec::new);
        bases.put(Int8ChannelCodec.NAME, Int8ChannelCodec::new);
        Map<String, Supplier<TensorCodec>> all = new LinkedHashMap<>(bases);
        for (Map.Entry<String, Supplier<TensorCodec>> base : bases.entrySet()) {
            Supplier<TensorCodec> inner = base.getValue();
            all.put(base.getKey() + Lz4Codec.SUFFIX, () -> new Lz4Codec(inner.get()));
        }
        FACTORIES = Collections.unmodifiableMap(all);
        NAMES = Lists.copyOf(all.keySet());
    }

    private Codecs() {
    }

    /**
     * A new codec instance.
     *
     * @throws IllegalArgumentException when the name is unknown, listing the valid names
     */
    public static TensorCodec create(String name) {
        Supplier<TensorCodec> factory = name == null ? null : FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("codec: unknown codec " + (name == null ? "null" : "'" + name + "'")
                    + ", expected one of " + String.join(", ", NAMES));
        }
        return factory.get();
    }

    /** Every registered name: raw, fp16, int8, int8c, then the same four with {@code +lz4}. */
    public static List<String> names() {
        return NAMES;
    }
}
