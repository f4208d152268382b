package io.edgesplit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.modelpackage.SplitPoint;
import io.edgesplit.modelpackage.TensorDescriptor;
import io.edgesplit.offload.OffloadRequest;
import io.edgesplit.offload.OffloadResult;
import io.edgesplit.offload.client.NativeClientConfig;
import io.edgesplit.offload.client.NativeOffloadClient;
import io.edgesplit.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code edgesplit serve}: secure defaults, token files, and a real server process stopped with SIGTERM. */
class ServeCommandTest {

    private static final String TOKEN = "serve-test-token-0123456789";

    @TempDir
    static Path tmp;
    static Path pkg;

    @BeforeAll
    static void buildPackage() {
        pkg = tmp.resolve("pkg");
        InspectCommandTest.Run split = InspectCommandTest.cli("split", "--synthetic", "--out", pkg.toString(), "--no-progress");
        assertEquals(0, split.exitCode(), split.err());
    }

    @Test
    void refusesToServeWithoutTlsOrAuthenticationUnlessToldExplicitly() {
        InspectCommandTest.Run noTls = InspectCommandTest.cli("serve", "--package", pkg.toString());
        assertEquals(2, noTls.exitCode());
        assertTrue(noTls.err().contains("TLS is on by default"), noTls.err());
        InspectCommandTest.Run noAuth = InspectCommandTest.cli("serve", "--package", pkg.toString(), "--insecure-plaintext");
        assertEquals(2, noAuth.exitCode());
        assertTrue(noAuth.err().contains("clients must authenticate"), noAuth.err());
    }

    @Test
    void aTokenFileNamesTheLineThatIsWrong() throws Exception {
        Path tokens = tmp.resolve("tokens.txt");
        Files.writeString(tokens, "# devices\ndevice-1 " + TOKEN + "\ndevice-2 short\n");
        InspectCommandTest.Run run = InspectCommandTest.cli("serve", "--package", pkg.toString(), "--insecure-plaintext",
                "--token-file", tokens.toString(), "--port", "0");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("tokens.txt: line 3: the token of client 'device-2' has 5 characters"), run.err());
    }

    @Test
    void servesTailsToAnAuthenticatedClientAndDrainsOnSigterm() throws Exception {
        Path tokens = tmp.resolve("good-tokens.txt");
        Files.writeString(tokens, "device-1 " + TOKEN + "\n");
        Path ports = tmp.resolve("ports.json");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EdgeSplitCli.class.getName(),
                "serve", "--package", pkg.toString(), "--port", "0", "--bind", "127.0.0.1", "--insecure-plaintext",
                "--token-file", tokens.toString(), "--port-file", ports.toString(), "--json-log")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("serve.log").toFile()).start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ports) && System.nanoTime() < until && p.isAlive()) {
                Thread.sleep(50); // polling a file another process writes; there is nothing to wait on
            }
            assertTrue(Files.exists(ports), "the server wrote its ports: " + Files.readString(tmp.resolve("serve.log")));
            JsonNode ready = new ObjectMapper().readTree(ports.toFile());
            int port = ready.get("nativePort").asInt();
            ModelPackage loaded = ModelPackage.load(pkg);
            SplitPoint split = loaded.variants().get(0).splits().get(3);
            List<Tensor> crossing = new ArrayList<>();
            for (TensorDescriptor d : split.crossing()) {
                crossing.add(Tensor.allocate(d.spec()));
            }
            try (NativeOffloadClient client = NativeOffloadClient.create(NativeClientConfig.builder("127.0.0.1", port)
                    .plaintext().token(TOKEN).build())) {
                OffloadResult r = client.submit(OffloadRequest.builder().segmentSha256(split.tailSegment())
                        .inputs(crossing).build(), System.nanoTime() + TimeUnit.SECONDS.toNanos(20)).get(20, TimeUnit.SECONDS);
                assertEquals(loaded.variants().get(0).outputs().get(0).spec().shapeAndType(),
                        r.outputs().get(0).spec().shapeAndType());
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(143 == p.exitValue() || 0 == p.exitValue(), true, "exit " + p.exitValue());
            String log = Files.readString(tmp.resolve("serve.log"));
            assertTrue(log.contains("\"event\":\"stopped\""), log);
            assertTrue(log.contains("\"completed\":1"), log);
        } finally {
            p.destroyForcibly();
        }
    }
}
