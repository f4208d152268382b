package io.edgesplit.offload;

import io.edgesplit.engine.Session;
import io.edgesplit.offload.client.NativeOffloadClient;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The offload targets, MobileNetV2 (quantized) split early, in the middle and late, native protocol
 * on loopback against an edge server in the same JVM (one worker per core):
 *
 * <ul>
 *   <li>{@code bareTail} vs {@code offload}: median latency of the tail's Invoke (inputs copied in,
 *       as the server's decode does) and of a whole offloaded request from one client; the
 *       difference is the protocol + codec overhead per request.</li>
 *   <li>{@code bareTailThroughput} (2 threads, one session each: what the 2 cores can do) vs
 *       {@code offloadThroughput} (8 concurrent clients, one connection each).</li>
 * </ul>
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar OffloadBenchmark</pre>
 */
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 4)
public class OffloadBenchmark {

    /** The server and package, shared by all threads. */
    @State(Scope.Benchmark)
    public static class Server {
        @Param({"0.1", "0.5", "0.9"})
        public double depth;

        LoopbackFixture fixture;
        OffloadRequest request;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            fixture = LoopbackFixture.mobileNetV2(depth);
            request = fixture.request();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            fixture.close();
        }
    }

    /** One device: its own connection. */
    @State(Scope.Thread)
    public static class Device {
        NativeOffloadClient client;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            client = server.fixture.client();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            client.close();
        }
    }

    /** A local session of the tail, per thread. */
    @State(Scope.Thread)
    public static class Local {
        Session session;

        @Setup(Level.Trial)
        public void setUp(Server server) {
            session = server.fixture.tail.newSession();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            session.close();
        }
    }

    private static Object runTail(Server server, Local local) {
        for (int i = 0; i < server.fixture.crossing.size(); i++) {
            local.session.setInput(i, server.fixture.crossing.get(i));
        }
        local.session.run();
        return local.session.output(0);
    }

    private static OffloadResult offloadOnce(Server server, Device device)
            throws InterruptedException, ExecutionException, TimeoutException {
        return device.client.submit(server.request, System.nanoTime() + 30_000_000_000L).get(30, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object bareTail(Server server, Local local) {
        return runTail(server, local);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object offload(Server server, Device device) throws Exception {
        return offloadOnce(server, device);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(2)
    public Object bareTailThroughput(Server server, Local local) {
        return runTail(server, local);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(8)
    public Object offloadThroughput(Server server, Device device) throws Exception {
        return offloadOnce(server, device);
    }
}
