package io.edgesplit.profile.profiler;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.Session;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * An engine without TensorFlow Lite for profiler logic tests: a run advances a fake clock by the
 * nanoseconds {@code latency} gives for the segment (named by its file, {@code <sha256>.tflite}),
 * and by {@code burstFactor} times that on the first load of the one segment given a burst.
 */
final class FakeEngine implements InferenceEngine {

    /** A clock only runs advance; every read also ticks 1 ns so that reads are ordered. */
    static final class Clock {
        long nanos;

        long read() {
            return nanos++;
        }
    }

    private final Clock clock;
    private final ToLongFunction<String> latency;
    private final String burstSegment;
    private final double burstFactor;
    private final Map<String, Integer> loads = new HashMap<>();

    FakeEngine(Clock clock, ToLongFunction<String> latency, String burstSegment, double burstFactor) {
        this.clock = clock;
        this.latency = latency;
        this.burstSegment = burstSegment;
        this.burstFactor = burstFactor;
    }

    int loads(String sha) {
        return loads.getOrDefault(sha, 0);
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String version() {
        return "0";
    }

    @Override
    public CompiledModel load(Path file, EngineOptions options) {
        String sha = file.getFileName().toString().replace(".tflite", "");
        int n = loads.merge(sha, 1, Integer::sum);
        long nanos = latency.applyAsLong(sha);
        long perRun = sha.equals(burstSegment) && n == 1 ? Math.round(nanos * burstFactor) : nanos;
        clock.nanos += 1_000_000; // 1 ms to load
        return new Model(sha, options, perRun);
    }

    @Override
    public CompiledModel load(ByteBuffer model, String sourceName, EngineOptions options) throws ModelLoadException {
        throw new ModelLoadException(sourceName, "the fake engine loads files only");
    }

    private final class Model implements CompiledModel {
        private final String name;
        private final EngineOptions options;
        private final long perRun;

        Model(String name, EngineOptions options, long perRun) {
            this.name = name;
            this.options = options;
            this.perRun = perRun;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public List<TensorSpec> inputs() {
            return List.of();
        }

        @Override
        public List<TensorSpec> outputs() {
            return List.of();
        }

        @Override
        public EngineOptions options() {
            return options;
        }

        @Override
        public long byteSize() {
            return 0;
        }

        @Override
        public Session newSession() {
            Model model = this;
            return new Session() {
                @Override
                public CompiledModel model() {
                    return model;
                }

                @Override
                public int inputCount() {
                    return 0;
                }

                @Override
                public int outputCount() {
                    return 0;
                }

                @Override
                public Tensor input(int index) {
                    throw new IndexOutOfBoundsException(index);
                }

                @Override
                public Tensor input(String inputName) {
                    throw new IllegalArgumentException(inputName);
                }

                @Override
                public Tensor output(int index) {
                    throw new IndexOutOfBoundsException(index);
                }

                @Override
                public Tensor output(String outputName) {
                    throw new IllegalArgumentException(outputName);
                }

                @Override
                public void setInput(int index, Tensor value) {
                    throw new IndexOutOfBoundsException(index);
                }

                @Override
                public void run() {
                    clock.nanos += perRun;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
