package io.edgesplit.offload.protocol;

import io.edgesplit.tensor.DataType;
import java.nio.ByteBuffer;
import java.util.Random;
import org.agrona.concurrent.UnsafeBuffer;

/** Builds random valid frames of every type, the seeds of the fuzz test. */
final class RandomFrames {

    private static final String[] CODECS = {"raw", "fp16", "int8", "int8c", "raw+lz4", "int8c+lz4"};
    private static final DataType[] TYPES = {DataType.FP32, DataType.UINT8, DataType.INT8, DataType.FP16,
        DataType.INT32, DataType.BOOL};

    private final Random random;
    private final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 16));

    RandomFrames(Random random) {
        this.random = random;
    }

    byte[] any() {
        switch (random.nextInt(10)) {
            case 0:
                return hello();
            case 1:
                return helloOk();
            case 2:
            case 3:
            case 4:
                return request();
            case 5:
            case 6:
                return response();
            case 7:
                return error();
            case 8:
                return status();
            default:
                return control();
        }
    }

    byte[] request() {
        InferRequestFrame f = new InferRequestFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        f.requestId(random.nextLong()).timeoutNs(1 + random.nextInt(1_000_000_000));
        byte[] sha = new byte[32];
        random.nextBytes(sha);
        scratch.putBytes(InferRequestFrame.SEGMENT_OFFSET, sha);
        f.codecName(CODECS[random.nextInt(CODECS.length)]);
        int n = 1 + random.nextInt(3);
        f.tensorCount(n);
        for (int i = 0; i < n; i++) {
            writeTensor(i, (type, shape) -> f.beginTensor(idx[0], type, shape), f::endTensor);
        }
        return bytes(f.finish());
    }

    byte[] response() {
        InferResponseFrame f = new InferResponseFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        f.requestId(random.nextLong()).queueNs(random.nextInt(1 << 30)).computeNs(random.nextInt(1 << 30))
                .batchSize(1 + random.nextInt(4)).codecName("raw");
        int n = random.nextInt(3);
        f.tensorCount(n);
        for (int i = 0; i < n; i++) {
            writeTensor(i, (type, shape) -> f.beginTensor(idx[0], type, shape), f::endTensor);
        }
        return bytes(f.finish());
    }

    private final int[] idx = new int[1];

    private interface Begin {
        int begin(DataType type, int[] shape);
    }

    private interface End {
        Object end(int i, int length);
    }

    private void writeTensor(int i, Begin begin, End end) {
        idx[0] = i;
        int rank = random.nextInt(5);
        int[] shape = new int[rank];
        int elements = 1;
        for (int k = 0; k < rank; k++) {
            shape[k] = 1 + random.nextInt(6);
            elements *= shape[k];
        }
        DataType type = TYPES[random.nextInt(TYPES.length)];
        int length = random.nextBoolean() ? elements * type.byteSize() : random.nextInt(64);
        int at = begin.begin(type, shape);
        for (int b = 0; b < length; b++) {
            scratch.putByte(at + b, (byte) random.nextInt());
        }
        end.end(i, length);
    }

    byte[] hello() {
        HelloFrame f = new HelloFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        byte[] token = new byte[random.nextInt(64)];
        random.nextBytes(token);
        f.credentials(token, "device-" + random.nextInt(100));
        return bytes(f.finish());
    }

    byte[] helloOk() {
        HelloOkFrame f = new HelloOkFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        f.maxFrameBytes(1 << 20).maxInFlight(1 + random.nextInt(64)).workers(1 + random.nextInt(8));
        return bytes(f.finish());
    }

    byte[] error() {
        ErrorFrame f = new ErrorFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        StatusCode[] all = StatusCode.values();
        f.requestId(random.nextLong()).status(all[random.nextInt(all.length)]).retryAfterNs(random.nextInt(1000))
                .message("error " + random.nextInt());
        return bytes(f.finish());
    }

    byte[] status() {
        StatusFrame f = new StatusFrame();
        f.wrapForEncode(scratch, 0, scratch.capacity());
        f.workers(2).queued(random.nextInt(10)).running(random.nextInt(2)).connections(random.nextInt(9))
                .estimatedQueueNs(random.nextInt(1 << 20)).completed(random.nextInt(1000)).rejectedBusy(3).expired(1);
        return bytes(f.finish());
    }

    byte[] control() {
        FrameType[] types = {FrameType.PING, FrameType.PONG, FrameType.STATUS_REQUEST, FrameType.GOAWAY};
        ControlFrame f = new ControlFrame(types[random.nextInt(types.length)]);
        f.wrapForEncode(scratch, 0, scratch.capacity());
        f.requestId(random.nextLong());
        return bytes(f.finish());
    }

    private byte[] bytes(int length) {
        byte[] out = new byte[length];
        scratch.getBytes(0, out);
        return out;
    }
}
