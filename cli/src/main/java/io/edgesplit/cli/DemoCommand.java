package io.edgesplit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code edgesplit demo}: the whole system on this machine in about a minute, no network needed. */
@Command(name = "demo", description = {
    "Run EdgeSplit end to end on this machine: an MQTT 5 broker, an edge server announcing itself, a "
        + "fleet controller and a device runtime classifying pictures over a link that replays a bandwidth "
        + "trace. Uses ../shared/data (MobileNet V1, real pictures, a Verizon LTE trace) when present, else "
        + "the built-in synthetic family and a generated trace. Ends with a summary table and a PNG plot."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--models", paramLabel = "DIR", description = "Directory with mobilenet_v1_0.25_128_quant, "
            + "0.5_160_quant and 0.75_192_quant .tflite files (default: ../shared/data/models when present)")
    Path models;

    @Option(names = "--synthetic", description = "Use the built-in synthetic slimmable family even when real models "
            + "are present")
    boolean synthetic;

    @Option(names = "--trace", paramLabel = "FILE", description = "Bandwidth trace to replay (mahimahi, "
            + "seconds-Mbps or G-NetTrack CSV; default: the Verizon LTE uplink trace when present, else generated)")
    Path trace;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long the device classifies pictures (default: ${DEFAULT-VALUE})")
    double duration;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "2",
            description = "Replay the trace X times faster (rates unchanged; default: ${DEFAULT-VALUE})")
    double speed;

    @Option(names = "--link", paramLabel = "NAME", defaultValue = "wifi",
            description = "The device's link to the edge server, from the pixel-4 profile: wifi or lte. Its radio "
                    + "power model and RTT apply; the trace sets its throughput (default: ${DEFAULT-VALUE}; on lte, "
                    + "radio energy makes the device the cheaper place for this model on this CPU)")
    String link;

    @Option(names = "--threads", defaultValue = "1", description = "Device inference threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--device-builtin-kernels", description = "Run the device side on TensorFlow Lite's built-in "
            + "kernels instead of XNNPACK (the server keeps XNNPACK): for float models that makes the device the weaker "
            + "side of this one machine, as in the field")
    boolean deviceBuiltinKernels;

    @Option(names = "--no-outage", description = "Do not crash the edge server during the run")
    boolean noOutage;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "edgesplit-demo",
            description = "Where the plot, the JSON report and the cached package go (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--explain", description = "Print the planner's ranking of the best plans at the start and "
            + "after each configuration change")
    boolean explain;

    @Option(names = "--no-progress", description = "No progress bars or live line (for logs and CI)")
    boolean noProgress;

    @Option(names = "--json", description = "Print the report as JSON (every inference) instead of tables")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (!(duration >= 5 && duration <= 3600)) {
            throw new ParameterException(spec.commandLine(), "--duration: must be between 5 and 3600 seconds, was "
                    + duration);
        }
        if (!(speed > 0 && speed <= 100)) {
            throw new ParameterException(spec.commandLine(), "--speed: must be in (0, 100], was " + speed);
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException(spec.commandLine(), "--threads: must be 1-64, was " + threads);
        }
        if (models != null && synthetic) {
            throw new ParameterException(spec.commandLine(), "--models and --synthetic exclude each other");
        }
        DemoRun.DemoOptions o = new DemoRun.DemoOptions();
        o.models = models;
        o.synthetic = synthetic;
        o.trace = trace;
        o.durationSeconds = duration;
        o.speed = speed;
        o.link = link;
        o.threads = threads;
        o.outage = !noOutage;
        o.out = out;
        o.json = json;
        o.explain = explain;
        o.progress = !noProgress;
        o.deviceXnnpack = !deviceBuiltinKernels;
        java.io.PrintWriter stdout = spec.commandLine().getOut();
        DemoReport report = new DemoRun(o, stdout, spec.commandLine().getErr()).run();
        Path plot = out.resolve("demo.png").toAbsolutePath();
        DemoPlot.write(report, plot);
        report.plotFile = plot.toString();
        ObjectMapper mapper = new ObjectMapper();
        Path jsonFile = out.resolve("demo.json").toAbsolutePath();
        mapper.writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), report.toJson(mapper));
        if (json) {
            stdout.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(report.toJson(mapper)));
        } else {
            report.printSummary(stdout);
            stdout.println();
            stdout.println("Plot            " + plot);
            stdout.println("Every picture   " + jsonFile);
            stdout.printf(java.util.Locale.ROOT, "Done in %.0f s.%n", report.wallSeconds);
        }
        stdout.flush();
        return 0;
    }
}
