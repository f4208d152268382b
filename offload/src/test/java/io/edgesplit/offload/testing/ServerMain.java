package io.edgesplit.offload.testing;

import io.edgesplit.modelpackage.ModelPackage;
import io.edgesplit.offload.server.EdgeServer;
import io.edgesplit.offload.server.EdgeServerConfig;
import io.edgesplit.offload.server.RateLimit;
import java.nio.file.Path;
import java.util.List;

/**
 * An edge server in its own JVM, so that a test can kill it with SIGKILL (a crash, not a drain).
 * Prints {@code PORT <n>} once listening. Arguments: package directory.
 */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ModelPackage pkg = ModelPackage.load(Path.of(args[0]));
        EdgeServer server = EdgeServer.start(EdgeServerConfig.builder().bindHost("127.0.0.1").nativePort(0).plaintext()
                .allowAnonymous().rateLimit(RateLimit.UNLIMITED).workers(1).build(), List.of(pkg));
        System.out.println("PORT " + server.nativePort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Starts {@link #main} in a child JVM and returns it with the port it listens on. */
    public static Child spawn(Path packageDir) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", ServerMain.class.getName(), packageDir.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        java.util.concurrent.CompletableFuture<Integer> port = new java.util.concurrent.CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        port.complete(Integer.parseInt(line.substring(5).trim()));
                    }
                }
                port.completeExceptionally(new IllegalStateException("server JVM exited before listening"));
            } catch (java.io.IOException e) {
                port.completeExceptionally(e);
            }
        }, "server-main-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Child(p, port.get(60, java.util.concurrent.TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** A server JVM. */
    public static final class Child implements AutoCloseable {
        public final Process process;
        public final int port;

        Child(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** SIGKILL: the server vanishes without closing anything. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        @Override
        public void close() throws InterruptedException {
            kill();
        }
    }
}
