package io.edgesplit.modelpackage;

import io.edgesplit.codec.CodecException;
import io.edgesplit.codec.CodecStats;
import io.edgesplit.codec.TensorCodec;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.Session;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Runs one split point of a package in this process: head, then every crossing tensor through a
 * codec into a wire buffer and back out into the tail's inputs, then tail. It is what the device
 * and the server do together, minus the network, which makes it the reference for verification
 * and for local measurement. Not thread-safe; owns its sessions until {@link #close()}.
 */
public final class SplitPipeline implements AutoCloseable {

    private final SplitPoint split;
    private final CompiledModel headModel;
    private final CompiledModel tailModel;
    private final Session head;
    private final Session tail;
    private final Tensor[] inputs;
    private final Tensor[] crossingSources;
    private final UnsafeBuffer wire;
    private final CodecStats scratchStats = new CodecStats();
    private int wireBytes;
    private long rawBytes;
    private double maxCodecError;

    private SplitPipeline(SplitPoint split, CompiledModel headModel, CompiledModel tailModel, Session head,
            Session tail, Tensor[] inputs, Tensor[] crossingSources, UnsafeBuffer wire) {
        this.split = split;
        this.headModel = headModel;
        this.tailModel = tailModel;
        this.head = head;
        this.tail = tail;
        this.inputs = inputs;
        this.crossingSources = crossingSources;
        this.wire = wire;
    }

    /**
     * Loads the split point's segments (hashes checked again) and prepares sessions and buffers.
     *
     * @param maxCodecBytes an upper bound of every codec's payload per crossing tensor (sizes the wire buffer);
     *     use {@link #wireCapacityFor(SplitPoint, List)}
     */
    public static SplitPipeline open(ModelPackage pkg, Variant variant, SplitPoint split, InferenceEngine engine,
            EngineOptions options, int maxCodecBytes) throws IOException {
        CompiledModel headModel = null;
        CompiledModel tailModel = null;
        Session head = null;
        Session tail = null;
        try {
            if (split.headSegment() != null) {
                headModel = engine.load(pkg.readSegment(split.headSegment()), split.id() + " head", options);
                head = headModel.newSession();
            }
            if (split.tailSegment() != null) {
                tailModel = engine.load(pkg.readSegment(split.tailSegment()), split.id() + " tail", options);
                tail = tailModel.newSession();
            }
            Tensor[] inputs = new Tensor[variant.inputs().size()];
            for (int i = 0; i < inputs.length; i++) {
                TensorDescriptor d = variant.inputs().get(i);
                inputs[i] = head != null && hasInput(headModel, d.name()) ? head.input(d.name()) : Tensor.allocate(d.spec());
            }
            Tensor[] sources = new Tensor[split.crossing().size()];
            if (tail != null) {
                for (int i = 0; i < sources.length; i++) {
                    TensorDescriptor d = split.crossing().get(i);
                    String tailInput = tailModel.inputs().get(i).name();
                    if (!tailInput.equals(d.name())) {
                        throw new PackageFormatException(split.id() + ": tail input " + i + " is '" + tailInput
                                + "', the manifest's crossing tensor " + i + " is '" + d.name() + "'");
                    }
                    sources[i] = d.passthrough() ? inputNamed(variant, inputs, d.name()) : head.output(d.name());
                    tail.input(i).requireCompatible(sources[i].spec());
                }
            }
            UnsafeBuffer wire = new UnsafeBuffer(ByteBuffer.allocateDirect(Math.max(8, maxCodecBytes))
                    .order(ByteOrder.LITTLE_ENDIAN));
            return new SplitPipeline(split, headModel, tailModel, head, tail, inputs, sources, wire);
        } catch (IOException | RuntimeException e) {
            closeQuietly(tail, tailModel, head, headModel);
            throw e;
        }
    }

    /** A wire buffer size that holds every crossing tensor under any of {@code codecs}. */
    public static int wireCapacityFor(SplitPoint split, List<TensorCodec> codecs) {
        long max = 8;
        for (TensorDescriptor d : split.crossing()) {
            for (TensorCodec c : codecs) {
                max = Math.max(max, c.maxEncodedLength(d.spec()));
            }
        }
        return (int) Math.min(Integer.MAX_VALUE - 8, max);
    }

    private static boolean hasInput(CompiledModel model, String name) {
        return model.inputs().stream().anyMatch(s -> s.name().equals(name));
    }

    private static Tensor inputNamed(Variant variant, Tensor[] inputs, String name) {
        for (int i = 0; i < inputs.length; i++) {
            if (variant.inputs().get(i).name().equals(name)) {
                return inputs[i];
            }
        }
        throw new IllegalStateException("passthrough tensor '" + name + "' is not an input of " + variant.id());
    }

    public SplitPoint split() {
        return split;
    }

    /** The variant's inputs, in order; write them before {@link #run}. */
    public Tensor input(int index) {
        return inputs[index];
    }

    public int inputCount() {
        return inputs.length;
    }

    /**
     * Runs head, codec and tail once.
     *
     * @param measureError also compute the codec's worst absolute error over the crossing tensors
     *     ({@link #maxCodecError()}); costs a little time
     * @throws CodecException when a payload does not decode (a codec bug: the payload was just encoded)
     */
    public void run(TensorCodec codec, boolean measureError) throws CodecException {
        if (head != null) {
            head.run();
        }
        wireBytes = 0;
        rawBytes = 0;
        maxCodecError = 0;
        if (tail == null) {
            return;
        }
        CodecStats stats = measureError ? scratchStats : null;
        for (int i = 0; i < crossingSources.length; i++) {
            int n = codec.encode(crossingSources[i], wire, 0, stats);
            codec.decode(wire, 0, n, tail.input(i));
            wireBytes += n;
            rawBytes += crossingSources[i].byteSize();
            if (stats != null) {
                maxCodecError = Math.max(maxCodecError, stats.maxAbsError());
            }
        }
        tail.run();
    }

    /** Bytes of the crossing tensors before the codec, in the last run. */
    public long rawBytes() {
        return rawBytes;
    }

    /** Worst absolute error the codec introduced in the last run (when measured). */
    public double maxCodecError() {
        return maxCodecError;
    }

    /** Bytes the last {@link #run} put on the wire (0 for full local). */
    public int wireBytes() {
        return wireBytes;
    }

    /** Output {@code index} of the last run: the tail's, or the head's for full local. */
    public Tensor output(int index) {
        return tail != null ? tail.output(index) : head.output(index);
    }

    public int outputCount() {
        return tail != null ? tail.outputCount() : head.outputCount();
    }

    @Override
    public void close() {
        closeQuietly(tail, tailModel, head, headModel);
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + r + " failed", e);
                }
            }
        }
    }
}
