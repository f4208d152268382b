package io.edgesplit.offload.testing;

import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.InferenceEngine;
import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Fault injection for server tests: the real TensorFlow Lite engine whose sessions take an extra
 * fixed time per run (a slow or loaded server), or block until released (a stalled server).
 */
public final class SlowEngine implements InferenceEngine {

    private final InferenceEngine real = TfLiteEngine.get();
    private volatile long extraNs;
    private volatile CountDownLatch stall;
    private final AtomicInteger runningNow = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private volatile String lastRunThread;

    public SlowEngine(long extraNs) {
        this.extraNs = extraNs;
    }

    public void extraNs(long ns) {
        this.extraNs = ns;
    }

    /** Every run from now on blocks until {@link #release()} (or 60 s). */
    public void stall() {
        stall = new CountDownLatch(1);
    }

    public void release() {
        CountDownLatch s = stall;
        stall = null;
        if (s != null) {
            s.countDown();
        }
    }

    /** The most runs that were in progress at the same moment, across all sessions. */
    public int mostRunsAtOnce() {
        return mostAtOnce.get();
    }

    /** Runs in progress now (stalled ones included). */
    public int runsNow() {
        return runningNow.get();
    }

    /** The name of the thread that started the latest run. */
    public String lastRunThread() {
        return lastRunThread;
    }

    @Override
    public String name() {
        return "slow-tflite";
    }

    @Override
    public String version() {
        return real.version();
    }

    @Override
    public CompiledModel load(Path file, EngineOptions options) throws ModelLoadException {
        return new Model(real.load(file, options));
    }

    @Override
    public CompiledModel load(ByteBuffer model, String sourceName, EngineOptions options) throws ModelLoadException {
        return new Model(real.load(model, sourceName, options));
    }

    private final class Model implements CompiledModel {
        private final CompiledModel m;

        Model(CompiledModel m) {
            this.m = m;
        }

        @Override
        public String name() {
            return m.name();
        }

        @Override
        public List<TensorSpec> inputs() {
            return m.inputs();
        }

        @Override
        public List<TensorSpec> outputs() {
            return m.outputs();
        }

        @Override
        public EngineOptions options() {
            return m.options();
        }

        @Override
        public long byteSize() {
            return m.byteSize();
        }

        @Override
        public Session newSession() {
            Session s = m.newSession();
            return new Session() {
                @Override
                public CompiledModel model() {
                    return Model.this;
                }

                @Override
                public int inputCount() {
                    return s.inputCount();
                }

                @Override
                public int outputCount() {
                    return s.outputCount();
                }

                @Override
                public Tensor input(int index) {
                    return s.input(index);
                }

                @Override
                public Tensor input(String name) {
                    return s.input(name);
                }

                @Override
                public Tensor output(int index) {
                    return s.output(index);
                }

                @Override
                public Tensor output(String name) {
                    return s.output(name);
                }

                @Override
                public void setInput(int index, Tensor value) {
                    s.setInput(index, value);
                }

                @Override
                public void run() {
                    lastRunThread = Thread.currentThread().getName();
                    mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
                    try {
                        s.run();
                        CountDownLatch st = stall;
                        if (st != null) {
                            try {
                                st.await(60, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        long until = System.nanoTime() + extraNs;
                        while (System.nanoTime() < until) {
                            LockSupport.parkNanos(until - System.nanoTime());
                        }
                    } finally {
                        runningNow.decrementAndGet();
                    }
                }

                @Override
                public void close() {
                    s.close();
                }
            };
        }

        @Override
        public void close() {
            m.close();
        }
    }
}
