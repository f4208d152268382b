package io.edgesplit.offload.server;

import io.edgesplit.codec.TensorCodec;
import io.edgesplit.engine.Session;
import io.edgesplit.offload.protocol.InferRequestFrame;
import io.edgesplit.offload.protocol.InferResponseFrame;
import io.edgesplit.offload.protocol.StatusCode;
import io.edgesplit.offload.protocol.TensorSection;
import io.edgesplit.tensor.Tensor;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;

/**
 * A native-protocol request: the validated INFER_REQUEST frame (a retained slice of Netty's input
 * buffer: the payloads are decoded straight from it into the interpreter's input tensors) and the
 * connection to answer on.
 */
@ServerOnly
final class NativeJob extends InferJob {

    /** Outputs go back raw: they are small (logits, embeddings) and lossless is what callers expect. */
    private static final String OUTPUT_CODEC = "raw";

    private final NativeConnectionHandler connection;
    private final Channel channel;
    private final long requestId;
    private final String codecName;
    private ByteBuf frame;

    NativeJob(Tail tail, long receivedNs, long deadlineNs, NativeConnectionHandler connection, Channel channel,
            long requestId, String codecName, ByteBuf frame) {
        super(tail, receivedNs, deadlineNs);
        this.connection = connection;
        this.channel = channel;
        this.requestId = requestId;
        this.codecName = codecName;
        this.frame = frame;
    }

    @Override
    void fillInputs(Session session, WorkerContext context) throws IOException {
        InferRequestFrame f = context.request.wrap(Buffers.readable(frame, context.in), 0, frame.readableBytes());
        // validated on the I/O thread already; this pass recomputes the payload offsets for this view
        f.validate(connection.limits());
        TensorSection t = f.tensors();
        TensorCodec codec = context.codec(codecName);
        if (session.inputCount() != f.tensorCount()) {
            throw new BadRequestException(tail.label() + ": the tail takes " + session.inputCount() + " tensors, the request has "
                    + f.tensorCount());
        }
        for (int i = 0; i < session.inputCount(); i++) {
            Tensor input = session.input(i);
            if (!t.matches(i, input.spec())) {
                throw new BadRequestException("tensor '" + input.name() + "' expects " + input.spec().shapeAndType()
                        + ", got " + t.shapeAndType(i));
            }
            codec.decode(f.buffer(), t.payloadOffset(i), t.payloadLength(i), input);
        }
    }

    @Override
    void reply(Session session, long queueNs, long computeNs, int batchSize, WorkerContext context) {
        int n = session.outputCount();
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            bytes += session.output(i).byteSize();
        }
        int capacity = InferResponseFrame.maxLength(n, bytes);
        ByteBuf out = channel.alloc().directBuffer(capacity);
        try {
            InferResponseFrame r = context.response.wrapForEncode(Buffers.region(out, 0, capacity, context.out), 0,
                    capacity);
            r.requestId(requestId).queueNs(queueNs).computeNs(computeNs).codecName(OUTPUT_CODEC).batchSize(batchSize)
                    .tensorCount(n);
            for (int i = 0; i < n; i++) {
                Tensor o = session.output(i);
                int at = r.beginTensor(i, o.dataType(), o.shape());
                r.buffer().putBytes(at, o.data(), 0, o.byteSize());
                r.endTensor(i, o.byteSize());
            }
            out.writerIndex(r.finish());
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
        connection.send(out, requestId);
    }

    @Override
    void fail(StatusCode status, String message, long retryAfterNs) {
        connection.sendError(requestId, status, message, retryAfterNs, true);
    }

    @Override
    void release() {
        ByteBuf f = frame;
        if (f != null) {
            frame = null;
            f.release();
        }
    }
}
