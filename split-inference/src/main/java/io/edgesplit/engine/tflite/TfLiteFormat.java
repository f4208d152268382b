package io.edgesplit.engine.tflite;

import io.edgesplit.engine.ModelLoadException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorflowlite.FlatBufferModel;

/**
 * The checks every .tflite buffer passes before anything trusts it: size bounds, the flatbuffer
 * root offset and the {@code TFL3} file identifier (in Java, for clear messages), then TensorFlow
 * Lite's own flatbuffer verifier (native), which bounds every offset and vector length.
 */
public final class TfLiteFormat {

    /** The flatbuffer file identifier of TensorFlow Lite models, at bytes 4..8. */
    public static final String FILE_IDENTIFIER = "TFL3";

    private TfLiteFormat() {
    }

    /**
     * Reads a model file into native memory (no Java heap copy), refusing files larger than
     * {@code maxBytes} before allocating anything.
     */
    public static BytePointer readFile(Path file, long maxBytes) throws ModelLoadException {
        String source = file.toString();
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(source, "no such file", e);
        } catch (IOException e) {
            throw new ModelLoadException(source, "cannot read: " + e.getMessage(), e);
        }
        if (Files.isDirectory(file)) {
            throw new ModelLoadException(source, "is a directory, expected a .tflite file");
        }
        checkSize(source, size, maxBytes);
        BytePointer native_ = new BytePointer(size);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer dst = native_.asByteBuffer();
            while (dst.hasRemaining()) {
                if (ch.read(dst) < 0) {
                    throw new ModelLoadException(source, "file shrank while being read (" + dst.position()
                            + " of " + size + " bytes)");
                }
            }
        } catch (ModelLoadException e) {
            native_.close();
            throw e;
        } catch (IOException e) {
            native_.close();
            throw new ModelLoadException(source, "cannot read: " + e.getMessage(), e);
        }
        return native_;
    }

    /** Copies {@code model}'s remaining bytes into native memory after checking the size. */
    public static BytePointer copyToNative(ByteBuffer model, String source, long maxBytes) throws ModelLoadException {
        checkSize(source, model.remaining(), maxBytes);
        BytePointer native_ = new BytePointer(model.remaining());
        native_.asByteBuffer().put(model.duplicate());
        return native_;
    }

    private static void checkSize(String source, long size, long maxBytes) throws ModelLoadException {
        if (size < 8) {
            throw new ModelLoadException(source, "truncated: " + size
                    + " bytes, a TensorFlow Lite model has at least an 8-byte header");
        }
        if (size > maxBytes) {
            throw new ModelLoadException(source, "is " + size + " bytes, above the limit of " + maxBytes
                    + " bytes (EngineOptions.maxModelBytes)");
        }
    }

    /**
     * Checks the flatbuffer header: root table offset inside the buffer and the {@code TFL3}
     * identifier.
     */
    public static void checkHeader(ByteBuffer model, String source) throws ModelLoadException {
        ByteBuffer bb = model.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = bb.position();
        int size = bb.remaining();
        if (size < 8) {
            throw new ModelLoadException(source, "truncated: " + size
                    + " bytes, a TensorFlow Lite model has at least an 8-byte header");
        }
        byte[] id = new byte[4];
        for (int i = 0; i < 4; i++) {
            id[i] = bb.get(base + 4 + i);
        }
        String ident = new String(id, StandardCharsets.ISO_8859_1);
        if (!FILE_IDENTIFIER.equals(ident)) {
            throw new ModelLoadException(source, "not a TensorFlow Lite model: file identifier is '"
                    + printable(ident) + "', expected '" + FILE_IDENTIFIER + "'");
        }
        long root = bb.getInt(base) & 0xffffffffL;
        if (root < 8 || root + 4 > size) {
            throw new ModelLoadException(source, "truncated or corrupt: root table offset " + root
                    + " is outside the " + size + "-byte file");
        }
    }

    /**
     * Runs TensorFlow Lite's flatbuffer verifier over the native copy and builds the model. The
     * returned model references {@code bytes}, which must outlive it.
     */
    public static FlatBufferModel verifyAndBuild(BytePointer bytes, String source) throws ModelLoadException {
        checkHeader(bytes.asByteBuffer(), source);
        TfLiteNative.ensureLoaded();
        FlatBufferModel model = FlatBufferModel.VerifyAndBuildFromBuffer(bytes, bytes.capacity());
        if (model == null || model.isNull()) {
            throw new ModelLoadException(source, "failed TensorFlow Lite flatbuffer verification: the file is "
                    + "truncated or corrupt (" + bytes.capacity() + " bytes)");
        }
        return model;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\x%02x", (int) c));
            }
        }
        return sb.toString();
    }
}
