package io.edgesplit.profile;

import io.edgesplit.profile.internal.Backports;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The compute units of a profile: CPU clusters, the inference thread count and delegate the
 * measurements and plans assume, and any GPUs. Immutable; build with {@link #builder()}.
 */
public final class ComputeSpec {

    private final List<CpuCluster> cpus;
    private final int threads;
    private final Delegate delegate;
    private final List<GpuSpec> gpus;

    private ComputeSpec(Builder b) {
        this.cpus = Backports.listCopy(b.cpus);
        this.threads = b.threads == 0 ? totalCores(cpus) : b.threads;
        this.delegate = b.delegate;
        this.gpus = Backports.listCopy(b.gpus);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().threads(threads).delegate(delegate);
        cpus.forEach(b::addCpu);
        gpus.forEach(b::addGpu);
        return b;
    }

    /** CPU clusters in the order written, at least one. */
    public List<CpuCluster> cpus() {
        return cpus;
    }

    /** Sum of cores over all clusters. */
    public int totalCores() {
        return totalCores(cpus);
    }

    /** Threads TensorFlow Lite uses for one inference, 1 to {@link #totalCores()}. */
    public int threads() {
        return threads;
    }

    /** The delegate inference runs on. */
    public Delegate delegate() {
        return delegate;
    }

    /** GPUs, possibly none. */
    public List<GpuSpec> gpus() {
        return gpus;
    }

    private static int totalCores(List<CpuCluster> cpus) {
        int n = 0;
        for (CpuCluster c : cpus) {
            n += c.cores();
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ComputeSpec)) {
            return false;
        }
        ComputeSpec c = (ComputeSpec) o;
        return threads == c.threads && delegate == c.delegate && cpus.equals(c.cpus) && gpus.equals(c.gpus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cpus, threads, delegate, gpus);
    }

    @Override
    public String toString() {
        return "ComputeSpec{cpus=" + cpus + ", threads=" + threads + ", delegate=" + delegate + ", gpus=" + gpus + '}';
    }

    /** Builder for {@link ComputeSpec}; {@link #build()} checks the combination. */
    public static final class Builder {
        private final List<CpuCluster> cpus = new ArrayList<>();
        private int threads;
        private Delegate delegate = Delegate.XNNPACK;
        private final List<GpuSpec> gpus = new ArrayList<>();

        private Builder() {
        }

        /** Adds a CPU cluster; names must be unique. */
        public Builder addCpu(CpuCluster cpu) {
            cpus.add(Objects.requireNonNull(cpu, "cpu"));
            return this;
        }

        /** Inference threads, at least 1; 0 (the default) means all cores. */
        public Builder threads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("threads: must be >= 1, was " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** The delegate; default {@link Delegate#XNNPACK}, TensorFlow Lite's default CPU path. */
        public Builder delegate(Delegate delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate");
            return this;
        }

        /** Adds a GPU. */
        public Builder addGpu(GpuSpec gpu) {
            gpus.add(Objects.requireNonNull(gpu, "gpu"));
            return this;
        }

        /**
         * @throws IllegalArgumentException without CPU clusters, with duplicate cluster names, or with
         *     more threads than cores
         */
        public ComputeSpec build() {
            if (cpus.isEmpty()) {
                throw new IllegalArgumentException("cpus: must list at least one CPU cluster");
            }
            Set<String> names = new HashSet<>();
            for (CpuCluster c : cpus) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("cpus: duplicate cluster name '" + c.name() + "'");
                }
            }
            int cores = totalCores(cpus);
            if (threads > cores) {
                throw new IllegalArgumentException("threads: must be <= " + cores + " (the total cores), was " + threads);
            }
            return new ComputeSpec(this);
        }
    }
}
