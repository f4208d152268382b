package io.edgesplit.cli;

import io.edgesplit.engine.tflite.TfLiteNative;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code edgesplit} command line. Exit codes: 0 success, 1 the command failed (bad model,
 * failed verification, ...), 2 bad usage (unknown option, missing argument).
 */
@Command(name = "edgesplit",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // every subcommand takes --help and --version too
        versionProvider = EdgeSplitCli.Version.class,
        description = "Split, profile, plan and serve TensorFlow Lite models across device, edge and cloud.",
        subcommands = {InspectCommand.class, SplitCommand.class, VerifyCommand.class, ProfileCommand.class,
            PlanCommand.class, SimulateCommand.class, ServeCommand.class, DemoCommand.class,
            CommandLine.HelpCommand.class})
public final class EdgeSplitCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // logback is the CLI's backend (the embedded MQTT broker of the demo requires it); say so
        // explicitly, so that another SLF4J provider on the class path never wins by accident.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
        }
        // Our configuration by name: the broker's jar carries a logback.xml of its own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "edgesplit-logback.xml");
        }
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and embedding). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new EdgeSplitCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("edgesplit " + commandLine.getCommandName() + ": error: " + messageOf(e));
            if (Boolean.getBoolean("edgesplit.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    private static String messageOf(Throwable e) {
        if (e instanceof CliException || e instanceof java.io.IOException || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        return e.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** EdgeSplit's version as Maven built it (also when run from classes, as in tests). */
    static String version() {
        return io.edgesplit.offload.EdgeSplitVersion.get();
    }

    /** Prints EdgeSplit's and TensorFlow Lite's versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "edgesplit " + version(),
                "TensorFlow Lite " + TfLiteNative.version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("os.arch") + ")"
            };
        }
    }
}
