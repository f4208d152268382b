package io.edgesplit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code edgesplit demo}: the one-command demo. Not built yet; says so rather than pretending. */
@Command(name = "demo", description = "Run the end-to-end demo (not built yet: it lands with the runtime and demo issues).")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("edgesplit demo: not built yet. It needs the router, offload and runtime "
                + "modules (issues 5-8). Today you can run: ./edgesplit inspect MODEL.tflite [--json]");
        return 1;
    }
}
