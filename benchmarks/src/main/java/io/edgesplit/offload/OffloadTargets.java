package io.edgesplit.offload;

import io.edgesplit.engine.Session;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures issue 6's three targets on loopback, side by side so that the noise of a shared machine
 * hits both sides of each comparison alike (JMH runs them minutes apart):
 *
 * <ol>
 *   <li>protocol + codec overhead per request, as a share of the bare tail Invoke, for MobileNetV2
 *       split early, in the middle and late: rounds alternate one local Invoke (inputs copied in),
 *       one offloaded request and one request over a minimal blocking socket that computes inline
 *       (the platform's floor for any TCP offload: one wake-up per direction); medians;</li>
 *   <li>throughput of 8 concurrent clients against the server versus 2 threads invoking the tail
 *       directly (what the 2 cores can do), alternating rounds of {@code seconds} each; median of the
 *       per-round ratios;</li>
 *   <li>a 1 MiB tensor frame: round trip to a one-operator tail, minus that tail's Invoke.</li>
 * </ol>
 *
 * <pre>java -Dedgesplit.shared=../shared/data [-Dparts=1,2,3] -cp benchmarks/target/benchmarks.jar io.edgesplit.offload.OffloadTargets
 *     [overhead rounds, default 40] [seconds per throughput side, default 2] [throughput rounds, default 7]</pre>
 */
public final class OffloadTargets {

    private OffloadTargets() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int throughputRounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        String parts = System.getProperty("parts", "1,2,3");
        if (parts.contains("1")) {
            System.out.println("== 1. protocol + codec overhead per request (MobileNetV2 quant, raw codec, " + rounds
                    + " rounds)");
            for (double depth : new double[] {0.1, 0.5, 0.9}) {
                overhead(depth, false, rounds);
            }
            overhead(0.9, true, rounds);
        }
        if (parts.contains("2")) {
            System.out.println("== 2. throughput, 8 clients vs 2 local threads (" + seconds + " s per side, "
                    + throughputRounds + " rounds)");
            throughput(0.5, seconds, throughputRounds);
        }
        if (parts.contains("3")) {
            System.out.println("== 3. 1 MiB tensor frame");
            oneMiB(Math.max(200, rounds * 5));
        }
    }

    private static void overhead(double depth, boolean tls, int rounds) throws Exception {
        try (LoopbackFixture f = LoopbackFixture.mobileNetV2(depth, tls); NativeOffloadClient client = f.client();
                Session local = f.tail.newSession(); MinimalOffload floor = new MinimalOffload(f)) {
            long[] bare = new long[rounds];
            long[] rtt = new long[rounds];
            long[] compute = new long[rounds];
            long[] floorRtt = new long[rounds];
            long[] floorCompute = new long[rounds];
            long[] asyncOver = new long[rounds];
            // TLS: the JDK's AES-GCM runs interpreted and then C1-compiled for the first few hundred
            // records (1.5 ms per 46 KiB round trip, against 0.13 ms once C2 has compiled it): a server
            // that has run for a while is the case worth measuring
            for (int w = 0; tls && w < 3000; w++) {
                client.submit(f.request(), System.nanoTime() + 60_000_000_000L).get(60, TimeUnit.SECONDS);
            }
            // warm up (JIT) for 3 s or 5 rounds, whichever is longer
            long warmUntil = System.nanoTime() + 3_000_000_000L;
            for (int w = 0; w < 5 || System.nanoTime() < warmUntil; w++) {
                client.call(f.request(), System.nanoTime() + 60_000_000_000L);
                client.submit(f.request(), System.nanoTime() + 60_000_000_000L).get(60, TimeUnit.SECONDS);
                runLocal(f, local);
                floor.call();
            }
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                runLocal(f, local);
                bare[i] = System.nanoTime() - t0;
                // the blocking call, as EdgeRuntime makes it (the caller reads its own reply), and the
                // asynchronous submit (the connection's reader thread completes the future), in turns first
                OffloadResult a = null;
                if (i % 2 == 1) {
                    a = client.submit(f.request(), System.nanoTime() + 60_000_000_000L).get(60, TimeUnit.SECONDS);
                }
                OffloadResult r = client.call(f.request(), System.nanoTime() + 60_000_000_000L);
                if (i % 2 == 0) {
                    a = client.submit(f.request(), System.nanoTime() + 60_000_000_000L).get(60, TimeUnit.SECONDS);
                }
                rtt[i] = r.roundTripNs();
                compute[i] = r.computeNs();
                asyncOver[i] = a.roundTripNs() - a.computeNs();
                long t1 = System.nanoTime();
                floorCompute[i] = floor.call();
                floorRtt[i] = System.nanoTime() - t1;
            }
            long[] over = new long[rounds];
            long[] floorOver = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                over[i] = rtt[i] - compute[i];
                floorOver[i] = floorRtt[i] - floorCompute[i];
            }
            double b = median(bare);
            double t = median(rtt);
            System.out.printf(Locale.ROOT, "%-9s split %-10s crossing %8d B: bare Invoke %7.2f ms, offload round trip %7.2f ms,"
                    + " overhead %6.2f ms = %5.1f%% (round trip - server decode+Invoke: %5.2f ms = %4.1f%%);"
                    + " minimal socket offload: %5.2f ms = %4.1f%%; async submit: %5.2f ms = %4.1f%%%n",
                    tls ? "TLS 1.3" : "plaintext", f.split.id(), f.crossingBytes(), b / 1e6, t / 1e6, (t - b) / 1e6, 100 * (t - b) / b,
                    median(over) / 1e6, 100 * median(over) / b, median(floorOver) / 1e6, 100 * median(floorOver) / b,
                    median(asyncOver) / 1e6, 100 * median(asyncOver) / b);
        }
    }

    private static void runLocal(LoopbackFixture f, Session s) {
        for (int k = 0; k < f.crossing.size(); k++) {
            s.setInput(k, f.crossing.get(k));
        }
        s.run();
    }

    /**
     * The least a TCP offload can cost on this machine, for comparison: one blocking socket, a
     * server thread that reads the length-prefixed crossing bytes straight into its session's input,
     * runs the tail on the same thread and writes the output back; the caller reads the reply itself.
     * No framing, validation, authentication, deadline, multiplexing, queue or worker pool: two
     * wake-ups (one per direction) instead of our five.
     */
    private static final class MinimalOffload implements AutoCloseable {
        private final java.net.ServerSocket listener;
        private final java.net.Socket socket;
        private final java.io.DataInputStream in;
        private final java.io.DataOutputStream out;
        private final byte[] request;
        private final byte[] reply;
        private final Thread server;

        MinimalOffload(LoopbackFixture f) throws java.io.IOException {
            listener = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            Session session = f.tail.newSession();
            if (session.outputCount() != 1) {
                throw new IllegalArgumentException("the minimal offload handles one output, the tail has "
                        + session.outputCount());
            }
            int outBytes = session.output(0).byteSize();
            server = new Thread(() -> serve(f, session), "minimal-offload");
            server.setDaemon(true);
            server.start();
            socket = new java.net.Socket(listener.getInetAddress(), listener.getLocalPort());
            socket.setTcpNoDelay(true);
            in = new java.io.DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 20));
            request = new byte[(int) f.crossingBytes()];
            int at = 0;
            for (Tensor t : f.crossing) {
                byte[] b = t.toByteArray();
                System.arraycopy(b, 0, request, at, b.length);
                at += b.length;
            }
            reply = new byte[outBytes];
        }

        private void serve(LoopbackFixture f, Session session) {
            try (session; java.net.Socket s = listener.accept()) {
                s.setTcpNoDelay(true);
                java.io.DataInputStream sin = new java.io.DataInputStream(new java.io.BufferedInputStream(s.getInputStream(),
                        1 << 16));
                java.io.DataOutputStream sout = new java.io.DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(),
                        1 << 16));
                byte[] buf = new byte[(int) f.crossingBytes()];
                byte[] reply = new byte[session.output(0).byteSize()];
                while (true) {
                    int n = sin.readInt();
                    sin.readFully(buf, 0, n);
                    long t0 = System.nanoTime();
                    int at = 0;
                    for (int k = 0; k < session.inputCount(); k++) {
                        Tensor input = session.input(k);
                        input.data().putBytes(0, buf, at, input.byteSize());
                        at += input.byteSize();
                    }
                    session.run();
                    long computeNs = System.nanoTime() - t0;
                    session.output(0).data().getBytes(0, reply, 0, reply.length);
                    sout.writeLong(computeNs);
                    sout.write(reply);
                    sout.flush();
                }
            } catch (java.io.IOException e) {
                // the client closed the socket: done
            }
        }

        /** One request; returns the server's decode + Invoke time in ns. */
        long call() throws java.io.IOException {
            out.writeInt(request.length);
            out.write(request);
            out.flush();
            long computeNs = in.readLong();
            in.readFully(reply);
            return computeNs;
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
            listener.close();
        }
    }

    private static void throughput(double depth, int seconds, int rounds) throws Exception {
        try (LoopbackFixture f = LoopbackFixture.mobileNetV2(depth)) {
            List<NativeOffloadClient> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(f.client());
            }
            List<Session> sessions = List.of(f.tail.newSession(), f.tail.newSession());
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                double local = run(2, seconds, k -> runLocal(f, sessions.get(k)));
                double remote = run(8, seconds, k -> clients.get(k).submit(f.request(),
                        System.nanoTime() + 60_000_000_000L).get(60, TimeUnit.SECONDS));
                ratios[r] = remote / local;
                System.out.printf(Locale.ROOT, "round %d: bare tail %6.2f/s (2 threads), served %6.2f/s (8 clients) = %5.1f%%%n",
                        r + 1, local, remote, 100 * ratios[r]);
            }
            Arrays.sort(ratios);
            System.out.printf(Locale.ROOT, "split %s: median ratio %.1f%%, server load after: %s%n", f.split.id(),
                    100 * ratios[rounds / 2], f.server.load());
            for (NativeOffloadClient c : clients) {
                c.close();
            }
            sessions.forEach(Session::close);
        }
    }

    private interface Op {
        void run(int thread) throws Exception;
    }

    /** Runs {@code threads} loops of {@code op} for {@code seconds}; operations per second. */
    private static double run(int threads, int seconds, Op op) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong count = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> ts = new ArrayList<>();
        long start = System.nanoTime();
        for (int k = 0; k < threads; k++) {
            int id = k;
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        op.run(id);
                        count.incrementAndGet();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            });
            ts.add(t);
            t.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        done.await();
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    private static void oneMiB(int n) throws Exception {
        try (LoopbackFixture f = LoopbackFixture.oneMiB(); NativeOffloadClient client = f.client();
                Session local = f.tail.newSession()) {
            long[] rtt = new long[n];
            long[] serverNs = new long[n];
            long[] bare = new long[n];
            for (int i = -200; i < n; i++) {
                long t0 = System.nanoTime();
                runLocal(f, local);
                long b = System.nanoTime() - t0;
                OffloadResult r = client.submit(f.request(), System.nanoTime() + 10_000_000_000L).get(10, TimeUnit.SECONDS);
                if (i >= 0) {
                    rtt[i] = r.roundTripNs();
                    serverNs[i] = r.queueNs() + r.computeNs();
                    bare[i] = b;
                }
            }
            double bits = 8.0 * (1 << 20);
            double t = median(rtt);
            long[] net = new long[n];
            for (int i = 0; i < n; i++) {
                net[i] = rtt[i] - serverNs[i];
            }
            double m = median(net);
            System.out.printf(Locale.ROOT, "1 MiB frame: round trip %.3f ms (tail Invoke %.3f ms); round trip minus server "
                    + "time %.3f ms -> %.2f Gbit/s (whole round trip: %.2f Gbit/s)%n", t / 1e6, median(bare) / 1e6, m / 1e6,
                    bits / m, bits / t);
        }
    }

    private static double median(long[] values) {
        long[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
