package io.edgesplit.runtime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network path between clients and one server, on loopback with real sockets: a TCP relay that
 * delivers every byte, in order, a fixed one-way delay after it arrived (a long path: the round
 * trip is twice the delay), and that can stall, holding everything in both directions (a link that
 * collapsed) until released. The relay keeps reading while stalled, so senders never block on it.
 */
public final class LinkRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final long delayNs;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Object gate = new Object();
    private volatile boolean stalled;
    private volatile boolean closed;

    private LinkRelay(ServerSocket listener, int upstreamPort, long delayMillis) {
        this.listener = listener;
        this.upstreamPort = upstreamPort;
        this.delayNs = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    }

    /** A relay on a free loopback port to {@code 127.0.0.1:upstreamPort}, delaying each direction by {@code oneWayDelayMillis}. */
    public static LinkRelay start(int upstreamPort, long oneWayDelayMillis) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            LinkRelay relay = new LinkRelay(listener, upstreamPort, oneWayDelayMillis);
            Thread acceptor = new Thread(relay::acceptLoop, "relay-accept-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    /** Holds every byte in both directions from now on (nothing is lost; see {@link #release()}). */
    public void stall() {
        stalled = true;
    }

    /** Delivers what was held, then forwards again. */
    public void release() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            try {
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 2000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, "up");
                pump(server, client, "down");
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** Two threads per direction: one reads and stamps, one delivers at stamp + delay (and not while stalled). */
    private void pump(Socket from, Socket to, String direction) {
        LinkedBlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
        byte[] end = new byte[0];
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    queue.add(new Object[] {System.nanoTime() + delayNs, Arrays.copyOf(buf, n)});
                }
            } catch (IOException e) {
                // the socket closed
            }
            queue.add(new Object[] {System.nanoTime() + delayNs, end});
        }, "relay-" + direction + "-read");
        Thread writer = new Thread(() -> {
            try (OutputStream out = to.getOutputStream()) {
                while (true) {
                    Object[] chunk = queue.take();
                    long wait = (long) chunk[0] - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    synchronized (gate) {
                        while (stalled && !closed) {
                            gate.wait(100);
                        }
                    }
                    byte[] bytes = (byte[]) chunk[1];
                    if (bytes == end) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(bytes);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-" + direction + "-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        release();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }
}
