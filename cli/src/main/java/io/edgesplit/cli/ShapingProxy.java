package io.edgesplit.cli;

import io.edgesplit.router.sim.BandwidthTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that makes a real connection behave like a recorded link: bytes from the
 * client to the server leave at the uplink trace's rate of the moment, bytes back at the downlink
 * trace's rate, each after a fixed one-way propagation delay. The trace is replayed from
 * {@code originNanos}, {@code speed} times faster than recorded (rates stay as recorded; only their
 * changes come sooner). TLS passes through untouched: the relay only delays bytes.
 *
 * <p>Model: serialization at the trace rate (chunks of at most 16 KiB queue behind each other) plus
 * propagation delay; no loss, no reordering, no cross traffic. Good enough to make the planner's
 * bandwidth estimates and the offload latencies follow the trace, which is what the demo shows.
 */
final class ShapingProxy implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;

    private final BandwidthTrace uplink;
    private final BandwidthTrace downlink;
    private final long delayNanos;
    private final long originNanos;
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private volatile InetSocketAddress upstream;
    private volatile boolean closed;

    ShapingProxy(BandwidthTrace uplink, BandwidthTrace downlink, double oneWayDelayMillis, double speed,
            long originNanos) throws IOException {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed: must be > 0, was " + speed);
        }
        this.uplink = compressed(uplink, speed);
        this.downlink = compressed(downlink, speed);
        this.delayNanos = (long) (oneWayDelayMillis * 1e6);
        this.originNanos = originNanos;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "shaping-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    /** The same rates, each lasting {@code 1/speed} as long. */
    static BandwidthTrace compressed(BandwidthTrace trace, double speed) {
        int n = trace.segmentCount();
        double[] starts = new double[n];
        double[] rates = new double[n];
        for (int i = 0; i < n; i++) {
            starts[i] = trace.segmentStartMillis(i) / speed;
            rates[i] = trace.bitsPerSecondOfSegment(i);
        }
        return BandwidthTrace.of(trace.name(), starts, rates, trace.periodMillis() / speed);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Where new connections go (existing ones keep their server). */
    void upstream(String host, int port) {
        this.upstream = new InetSocketAddress(host, port);
    }

    /** The trace's rate now, bits per second. */
    double bitsPerSecondNow(boolean up) {
        return rateAt(up ? uplink : downlink, System.nanoTime());
    }

    /** Time (ms) into the compressed traces at wall time {@code nanos}. */
    private double traceMillis(long nanos) {
        return (nanos - originNanos) / 1e6;
    }

    long bytesUp() {
        return bytesUp.get();
    }

    long bytesDown() {
        return bytesDown.get();
    }

    private double rateAt(BandwidthTrace trace, long nanos) {
        return trace.bitsPerSecondAt(Math.max(0, traceMillis(nanos)));
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            InetSocketAddress target = upstream;
            Socket server = new Socket();
            try {
                if (target == null) {
                    throw new IOException("no upstream server set");
                }
                server.connect(target, 2000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue; // the client sees a refused/reset connection, as it would with the server down
            }
            open.add(client);
            open.add(server);
            pump(client, server, uplink, bytesUp, "up");
            pump(server, client, downlink, bytesDown, "down");
        }
    }

    private record Chunk(byte[] data, int length, long deliverAtNanos) {
    }

    private void pump(Socket from, Socket to, BandwidthTrace trace, AtomicLong counter, String name) {
        BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
        Chunk end = new Chunk(new byte[0], -1, 0);
        Thread reader = new Thread(() -> {
            long lastFinish = 0;
            byte[] buf = new byte[CHUNK];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long finish = serializationEnd(trace, Math.max(System.nanoTime(), lastFinish), n);
                    lastFinish = finish;
                    line.add(new Chunk(Arrays.copyOf(buf, n), n, finish + delayNanos));
                }
            } catch (IOException e) {
                // connection closed by either side
            }
            line.add(end);
        }, "shaping-proxy-" + name + "-in");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Chunk c = line.take();
                    if (c.length() < 0) {
                        break;
                    }
                    long wait = c.deliverAtNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(c.data(), 0, c.length());
                    out.flush();
                    counter.addAndGet(c.length());
                }
            } catch (IOException | InterruptedException e) {
                // closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "shaping-proxy-" + name + "-out");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    /** When {@code bytes} sent from {@code startNanos} have left at the trace's rates (exact across segments). */
    private long serializationEnd(BandwidthTrace trace, long startNanos, long bytes) {
        double start = Math.max(0, traceMillis(startNanos));
        double end = trace.transferEndMillis(start, bytes);
        return startNanos + (long) ((end - start) * 1e6);
    }

    /** Drops every open connection (what clients see when the server dies). */
    void dropConnections() {
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        dropConnections();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
