package io.edgesplit.offload.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.edgesplit.tensor.DataType;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The documented byte layout, little-endian, and the checks a receiver runs before allocating. */
class FrameLayoutTest {

    private static final SegmentId SEGMENT = SegmentId.fromHex(
            "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    private static byte[] request(int[] shape, int payloadLength) {
        UnsafeBuffer buf = new UnsafeBuffer(new byte[4096]);
        InferRequestFrame f = new InferRequestFrame();
        f.wrapForEncode(buf, 0, buf.capacity());
        f.requestId(0x0102030405060708L).timeoutNs(50_000_000L).segment(SEGMENT).codecName("int8").tensorCount(2);
        int at = f.beginTensor(0, DataType.FP32, shape);
        for (int i = 0; i < payloadLength; i++) {
            buf.putByte(at + i, (byte) i);
        }
        f.endTensor(0, payloadLength);
        f.beginTensor(1, DataType.UINT8, new int[] {1, 2});
        f.endTensor(1, 2);
        byte[] out = new byte[f.finish()];
        buf.getBytes(0, out);
        return out;
    }

    @Test
    void requestHeaderIsLittleEndianAtTheDocumentedOffsets() throws FrameException {
        byte[] b = request(new int[] {1, 3}, 5);
        // 80 header+body, 2 x 40 descriptors, payload 0 (5 bytes) at 160, payload 1 at 168 (aligned)
        assertEquals(170, b.length);
        assertArrayEquals(new byte[] {(byte) 170, 0, 0, 0, 0x45, 0x53, 1, 3, 8, 7, 6, 5, 4, 3, 2, 1},
                java.util.Arrays.copyOf(b, 16));
        assertEquals(0x00, b[24]);
        assertEquals(0x11, b[25]);
        assertEquals('i', b[56]);
        assertEquals(0, b[60]);
        assertEquals(2, b[72]);
        assertEquals(11, b[80], "FP32 is type code 11");
        assertEquals(2, b[81], "rank");
        assertEquals(5, b[84], "payload length");
        assertEquals(3, b[92], "dims[1]");
        assertEquals(2, b[120], "UINT8 is type code 2");
        InferRequestFrame f = (InferRequestFrame) new FrameReader(FrameLimits.DEFAULT).read(new UnsafeBuffer(b), 0, b.length);
        assertEquals(160, f.tensors().payloadOffset(0));
        assertEquals(168, f.tensors().payloadOffset(1));
        assertEquals(SEGMENT, SegmentId.read(f.buffer(), InferRequestFrame.SEGMENT_OFFSET));
        assertEquals("int8", f.codecName());
        assertEquals(50_000_000L, f.timeoutNs());
        assertEquals("[1,3] FP32", f.tensors().shapeAndType(0));
    }

    @Test
    void anOversizedLengthIsRejectedFromTheFirstEightBytes() {
        UnsafeBuffer prefix = new UnsafeBuffer(new byte[8]);
        prefix.putInt(0, Integer.MAX_VALUE, FrameHeader.BYTE_ORDER);
        prefix.putShort(4, FrameHeader.MAGIC, FrameHeader.BYTE_ORDER);
        prefix.putByte(6, (byte) 1);
        prefix.putByte(7, (byte) FrameType.INFER_REQUEST.code());
        FrameException e = assertThrows(FrameException.class, () -> FrameHeader.checkPrefix(prefix, 0, FrameLimits.DEFAULT));
        assertEquals(FrameException.Rejection.FRAME_TOO_LONG, e.rejection());
        prefix.putByte(7, (byte) FrameType.HELLO.code());
        prefix.putInt(0, 5000, FrameHeader.BYTE_ORDER);
        assertEquals(FrameException.Rejection.FRAME_TOO_LONG,
                assertThrows(FrameException.class, () -> FrameHeader.checkPrefix(prefix, 0, FrameLimits.DEFAULT)).rejection(),
                "HELLO has its own small bound");
        prefix.putByte(7, (byte) 99);
        assertEquals(FrameException.Rejection.UNKNOWN_TYPE,
                assertThrows(FrameException.class, () -> FrameHeader.checkPrefix(prefix, 0, FrameLimits.DEFAULT)).rejection());
    }

    @Test
    void aShapeLargerThanTheFrameLimitIsMalformedWhateverThePayloadSays() {
        byte[] b = request(new int[] {1 << 24, 1 << 24}, 5);
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(FrameLimits.DEFAULT).read(new UnsafeBuffer(b), 0, b.length));
        assertEquals(FrameException.Rejection.MALFORMED, e.rejection());
    }

    @Test
    void nonZeroPaddingAndTrailingBytesAreMalformed() {
        byte[] b = request(new int[] {1, 3}, 5);
        b[165] = 1;
        assertThrows(FrameException.class, () -> new FrameReader(FrameLimits.DEFAULT).read(new UnsafeBuffer(b), 0, b.length));
        byte[] longer = java.util.Arrays.copyOf(request(new int[] {1, 3}, 5), 171);
        longer[0] = (byte) 171;
        assertThrows(FrameException.class,
                () -> new FrameReader(FrameLimits.DEFAULT).read(new UnsafeBuffer(longer), 0, longer.length));
    }

    @Test
    void segmentIdRoundTripsThroughHexAndBytes() {
        String hex = "ffeeddccbbaa99887766554433221100f0e1d2c3b4a5968778695a4b3c2d1e0f";
        SegmentId id = SegmentId.fromHex(hex);
        assertEquals(hex, id.toHex());
        ExpandableArrayBuffer b = new ExpandableArrayBuffer(64);
        id.write(b, 3);
        assertEquals(id, SegmentId.read(b, 3));
        assertEquals((byte) 0xff, b.getByte(3));
        assertThrows(IllegalArgumentException.class, () -> SegmentId.fromHex("ABC"));
    }

    @Test
    void errorMessagesAreCutAtACharacterBoundary() throws FrameException {
        UnsafeBuffer buf = new UnsafeBuffer(new byte[4096]);
        ErrorFrame f = new ErrorFrame();
        f.wrapForEncode(buf, 0, buf.capacity());
        f.status(StatusCode.BUSY).retryAfterNs(7).message("é".repeat(1000));
        int n = f.finish();
        ErrorFrame read = (ErrorFrame) new FrameReader(FrameLimits.DEFAULT).read(buf, 0, n);
        assertEquals(512, read.message().length());
        assertEquals(StatusCode.BUSY, read.status());
        assertEquals(7, read.retryAfterNs());
    }
}
