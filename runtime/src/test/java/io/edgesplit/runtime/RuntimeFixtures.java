package io.edgesplit.runtime;

import io.edgesplit.common.Sha256;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SyntheticModels;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.PackageBuilder;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.Variant;
import io.edgesplit.modelpackage.VariantSource;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.offload.server.Authenticator;
import io.edgesplit.offload.server.DevCertificates;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.ProfileKind;
import io.edgesplit.router.SegmentLatencyModel;
import io.edgesplit.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The synthetic package (two widths with accuracies), catalog profiles and real edge servers on loopback
 * (plaintext, or TLS with token authentication as deployed).
 */
final class RuntimeFixtures {

    private static ModelPackage pkg;

    private RuntimeFixtures() {
    }

    static synchronized ModelPackage pkg() {
        if (pkg == null) {
            try {
                List<ModelGraph> family = SyntheticModels.slimmableFamily(SyntheticModels.DEFAULT_SEED);
                PackageBuilder b = new PackageBuilder("synthetic").codecs(List.of("fp16", "int8")).maxCrossing(2);
                b.addVariant(VariantSource.of(family.get(1), "w0.50", Sha256.of(family.get(1).toBytes()), 0.5, 0.60));
                b.addVariant(VariantSource.of(family.get(3), "w1.00", Sha256.of(family.get(3).toBytes()), 1.0, 0.75));
                pkg = b.write(Files.createTempDirectory("runtime-fixture").resolve("pkg"), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pkg;
    }

    static DeviceProfile profile(String id) {
        try {
            return DeviceProfiles.catalog(id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A slow device (50 MMAC/s) and a fast server (50 GMAC/s): remote plans win on a decent link. */
    static final SegmentLatencyModel SLOW_DEVICE = (profile, sha, macs, threads) ->
            0.2 + macs / (profile.kind() == ProfileKind.DEVICE ? 50e6 : 50e9) * 1000;

    /** A fast device: local plans win. */
    static final SegmentLatencyModel FAST_DEVICE = (profile, sha, macs, threads) ->
            0.2 + macs / (profile.kind() == ProfileKind.DEVICE ? 100e9 : 1e9) * 1000;

    static EdgeServer startServer() throws IOException {
        return EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).plaintext()
                .allowAnonymous().workers(2).rateLimit(RateLimit.UNLIMITED).build(), List.of(pkg()));
    }

    static NativeOffloadClient client(int port) {
        return NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port).plaintext().connections(1)
                .build());
    }

    static final String TOKEN = "runtime-test-token-0123456789abcdef";

    /** A TLS edge server with token authentication on loopback, as deployed outside tests; one worker. */
    static EdgeServer startTlsServer(DevCertificates certs) throws IOException {
        return EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).tls(certs.serverConfig())
                .authenticator(Authenticator.tokens(Map.of(TOKEN, "device"))).workers(1).rateLimit(RateLimit.UNLIMITED)
                .build(), List.of(pkg()));
    }

    /** A TLS client for {@code host:port} with the token, one connection, not connected yet. */
    static NativeClientConfig.Builder tlsClientConfig(String hostPort, DevCertificates certs) {
        int colon = hostPort.lastIndexOf(':');
        return NativeClientConfig.builder(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))
                .tls(certs.clientConfig()).token(TOKEN).connections(1);
    }

    /** What an app's discovery connector does: a TLS client for the announced endpoint, not connected yet. */
    static NativeOffloadClient tlsClient(String hostPort, DevCertificates certs) {
        return NativeOffloadClient.create(tlsClientConfig(hostPort, certs).build());
    }

    /** The whole variant {@code variantId} as a request to the server (the raw input crosses). */
    static OffloadRequest fullOffload(String variantId) {
        Variant v = pkg().variant(variantId);
        SplitPoint full = v.splits().stream().filter(SplitPoint::isFullOffload).findFirst().orElseThrow();
        Tensor input = Tensor.allocate(v.inputs().get(0).spec());
        input.copyFrom(image(1));
        return OffloadRequest.builder().segmentSha256(full.tailSegment()).codecName("raw").inputs(List.of(input))
                .outputSpecs(List.of(v.outputs().get(0).spec())).build();
    }

    static Tensor image(long seed) {
        Tensor t = Tensor.allocate(pkg().variants().get(0).inputs().get(0).spec());
        Random r = new Random(seed);
        for (int i = 0; i < t.elementCount(); i++) {
            t.putFloat(i, r.nextFloat() * 2 - 1);
        }
        return t;
    }
}
