package io.edgesplit.offload;

import io.edgesplit.engine.Session;
import io.edgesplit.offload.client.NativeOffloadClient;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1 MiB tensor frame through the native protocol on loopback: {@code roundTrip} sends a [1,256,256,4]
 * FP32 tensor to a one-operator tail (global average pool) and reads its 16-byte output;
 * {@code tailOnly} is that tail's Invoke alone. 8 Mibit / (roundTrip - tailOnly) is the transfer
 * rate (the reply is 16 bytes); 8 Mibit / roundTrip is a lower bound.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar FrameTransferBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class FrameTransferBenchmark {

    LoopbackFixture fixture;
    NativeOffloadClient client;
    OffloadRequest request;
    Session session;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        fixture = LoopbackFixture.oneMiB();
        client = fixture.client();
        request = fixture.request();
        session = fixture.tail.newSession();
        if (fixture.crossingBytes() != 1 << 20) {
            throw new IllegalStateException("expected a 1 MiB tensor, got " + fixture.crossingBytes());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        session.close();
        client.close();
        fixture.close();
    }

    @Benchmark
    public Object roundTrip() throws Exception {
        return client.submit(request, System.nanoTime() + 10_000_000_000L).get(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public Object tailOnly() {
        session.setInput(0, fixture.crossing.get(0));
        session.run();
        return session.output(0);
    }
}
