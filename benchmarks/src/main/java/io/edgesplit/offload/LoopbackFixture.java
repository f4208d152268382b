package io.edgesplit.offload;

import io.edgesplit.bench.BenchmarkData;
import io.edgesplit.common.Sha256;
import io.edgesplit.engine.CompiledModel;
import io.edgesplit.engine.EngineOptions;
import io.edgesplit.engine.Session;
import io.edgesplit.engine.tflite.TfLiteEngine;
import io.edgesplit.graph.ModelBuilder;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.tensor.DataType;
import io.edgesplit.tensor.Tensor;
import io.edgesplit.tensor.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What the offload benchmarks share: a model package (MobileNetV2 from the shared data, or a
 * one-operator model with a 1 MiB input), one split point, real crossing tensors from its head, and
 * an edge server on loopback (plaintext unless asked for TLS, no rate limit, one worker per core).
 */
final class LoopbackFixture implements AutoCloseable {

    final Path dir;
    final ModelPackage pkg;
    final SplitPoint split;
    final List<Tensor> crossing;
    final List<TensorSpec> outputs;
    final EdgeServer server;
    final CompiledModel tail;
    /** Null for plaintext. */
    private final DevCertificates certificates;

    private LoopbackFixture(Path dir, ModelPackage pkg, SplitPoint split, List<Tensor> crossing, boolean tls)
            throws IOException {
        this.dir = dir;
        this.pkg = pkg;
        this.split = split;
        this.crossing = crossing;
        this.outputs = new ArrayList<>();
        for (TensorDescriptor d : pkg.variants().get(0).outputs()) {
            outputs.add(d.spec());
        }
        this.tail = TfLiteEngine.get().load(pkg.readSegment(split.tailSegment()), "tail", EngineOptions.defaults());
        this.certificates = tls ? DevCertificates.localhost(Duration.ofHours(1)) : null;
        EdgeServerConfig.Builder config = EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).allowAnonymous()
                .rateLimit(RateLimit.UNLIMITED).preload(true);
        this.server = EdgeServer.start((tls ? config.tls(certificates.serverConfig()) : config.plaintext()).build(),
                List.of(pkg));
    }

    /** MobileNetV2 (quantized) split at {@code depth} (0..1) of its inner split points, plaintext. */
    static LoopbackFixture mobileNetV2(double depth) throws IOException {
        return mobileNetV2(depth, false);
    }

    /** MobileNetV2 (quantized) split at {@code depth} (0..1) of its inner split points; TLS 1.3 or plaintext. */
    static LoopbackFixture mobileNetV2(double depth, boolean tls) throws IOException {
        Path model = BenchmarkData.model("mobilenet_v2_1.0_224_quant.tflite");
        Path dir = Files.createTempDirectory("edgesplit-bench");
        ModelGraph graph = ModelGraph.read(model);
        ModelPackage pkg = new PackageBuilder("mobilenet_v2").codecs(List.of("raw"))
                .addVariant(VariantSource.of(graph, model.getFileName().toString(), Sha256.of(model), 1.0, null))
                .write(dir.resolve("pkg"), false);
        List<SplitPoint> inner = new ArrayList<>();
        for (SplitPoint s : pkg.variants().get(0).splits()) {
            if (!s.isFullLocal() && !s.isFullOffload()) {
                inner.add(s);
            }
        }
        SplitPoint split = inner.get(Math.min(inner.size() - 1, (int) (depth * inner.size())));
        return new LoopbackFixture(dir, pkg, split, headOutputs(pkg, split), tls);
    }

    /** A one-operator model (global average pool) whose input is [1,256,256,4] FP32: 1 MiB crosses. */
    static LoopbackFixture oneMiB() throws IOException {
        ModelBuilder b = new ModelBuilder("one_mib");
        int x = b.input("input", DataType.FP32, 1, 256, 256, 4);
        x = b.globalAveragePool("pool", x);
        b.output(x);
        ModelGraph graph = b.build();
        Path dir = Files.createTempDirectory("edgesplit-bench");
        ModelPackage pkg = new PackageBuilder("one_mib").codecs(List.of("raw"))
                .addVariant(VariantSource.of(graph, "one_mib.tflite", Sha256.of(graph.toBytes()), 1.0, null))
                .write(dir.resolve("pkg"), false);
        SplitPoint offload = pkg.variants().get(0).fullOffload();
        Tensor input = Tensor.allocate(offload.crossing().get(0).spec());
        Random r = new Random(7);
        for (int i = 0; i < input.elementCount(); i++) {
            input.putFloat(i, r.nextFloat());
        }
        return new LoopbackFixture(dir, pkg, offload, List.of(input), false);
    }

    private static List<Tensor> headOutputs(ModelPackage pkg, SplitPoint split) throws IOException {
        try (CompiledModel head = TfLiteEngine.get().load(pkg.readSegment(split.headSegment()), "head",
                EngineOptions.defaults()); Session s = head.newSession()) {
            byte[] image = new byte[s.input(0).byteSize()];
            new Random(42).nextBytes(image);
            s.input(0).putBytes(image);
            s.run();
            List<Tensor> out = new ArrayList<>();
            for (TensorDescriptor d : split.crossing()) {
                Tensor copy = Tensor.allocate(d.spec());
                copy.copyFrom(s.output(d.name()));
                out.add(copy);
            }
            return out;
        }
    }

    NativeOffloadClient client() {
        NativeClientConfig.Builder b = NativeClientConfig.builder("127.0.0.1", server.nativePort()).connections(1);
        return NativeOffloadClient.create((certificates != null ? b.tls(certificates.clientConfig()) : b.plaintext()).build());
    }

    OffloadRequest request() {
        return OffloadRequest.builder().segmentSha256(split.tailSegment()).codecName("raw").inputs(crossing)
                .outputSpecs(outputs).build();
    }

    long crossingBytes() {
        long n = 0;
        for (Tensor t : crossing) {
            n += t.byteSize();
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        server.close();
        tail.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
