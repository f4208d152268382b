package io.edgesplit.offload.testing;

import io.edgesplit.offload.protocol.Frame;
import io.edgesplit.offload.protocol.FrameHeader;
import io.edgesplit.offload.protocol.FrameLimits;
import io.edgesplit.offload.protocol.FrameReader;
import io.edgesplit.offload.protocol.HelloFrame;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLSocketFactory;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/** A bare socket speaking the native protocol byte by byte, for attacks and malformed input. */
public final class RawConnection implements AutoCloseable {

    public final Socket socket;
    private final FrameReader reader = new FrameReader(FrameLimits.DEFAULT);
    private final ExpandableArrayBuffer in = new ExpandableArrayBuffer(1024);

    public RawConnection(int port, SSLSocketFactory tls) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        this.socket = tls == null ? s : tls.createSocket(s, "127.0.0.1", port, true);
    }

    public void write(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Sends HELLO with this token. */
    public void hello(String token) throws IOException {
        UnsafeBuffer b = new UnsafeBuffer(new byte[8192]);
        int n = new HelloFrame().wrapForEncode(b, 0, b.capacity()).credentials(token.getBytes(), "raw").finish();
        socket.getOutputStream().write(b.byteArray(), 0, n);
    }

    /** The next frame, or null when the server closed the connection. */
    public Frame read() throws IOException {
        InputStream is = socket.getInputStream();
        try {
            readFully(is, 0, FrameHeader.PREFIX_LENGTH);
        } catch (EOFException | SocketException e) {
            return null;
        }
        int length = FrameHeader.checkPrefix(in, 0, FrameLimits.DEFAULT);
        in.checkLimit(length);
        readFully(is, FrameHeader.PREFIX_LENGTH, length - FrameHeader.PREFIX_LENGTH);
        return reader.read(in, 0, length);
    }

    /** True when the server closes the connection within the socket timeout (reads only EOF). */
    public boolean closedByServer() throws IOException {
        try {
            while (true) {
                int b = socket.getInputStream().read();
                if (b < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    private void readFully(InputStream is, int off, int len) throws IOException {
        byte[] a = in.byteArray();
        while (len > 0) {
            int n = is.read(a, off, len);
            if (n < 0) {
                throw new EOFException();
            }
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
