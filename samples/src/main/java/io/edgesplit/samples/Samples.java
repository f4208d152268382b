package io.edgesplit.samples;

import io.edgesplit.profile.DeviceProfile;
import io.edgesplit.profile.DeviceProfiles;
import io.edgesplit.profile.Units;
import io.edgesplit.runtime.fleet.MqttSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * What the three samples share that is not EdgeSplit API: running a picocli command with clear
 * errors, option converters with units, and stopping on Ctrl-C after cleaning up.
 */
final class Samples {

    /** The default of every sample's {@code --state}; {@code samples/run} points it at samples/target. */
    static final String STATE_DEFAULT = "${env:EDGESPLIT_SAMPLES_STATE:-target/samples-state}";

    private Samples() {
    }

    /**
     * Runs a sample's command. Exit codes: 0 done, 1 it failed (the message says why), 2 bad arguments.
     * Set {@code -Dedgesplit.debug=true} for stack traces.
     */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean expected = e instanceof IOException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException;
            commandLine.getErr().println(commandLine.getCommandName() + ": error: " + (expected ? e.getMessage() : e));
            if (Boolean.getBoolean("edgesplit.debug")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    static void main(Object command, String[] args) {
        // The broker's jar has a logback.xml too; name ours so logback neither guesses nor complains.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "samples-logback.xml");
        }
        System.exit(run(command, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** MQTT settings from the options; errors name the option ({@code --broker}, {@code --fleet}, {@code --node}). */
    static MqttSettings mqtt(CommandSpec spec, String url, String fleet, String node) {
        try {
            return MqttSettings.builder(url, fleet, node).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().replaceFirst("^serverUri:", "--broker:")
                    .replaceFirst("^fleet:", "--fleet:").replaceFirst("^nodeId:", "--node:"));
        }
    }

    /** {@code 100ms}, {@code 1.5s}: a time in milliseconds. */
    static final class Millis implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Units.millis(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 150mJ}, {@code 0.2J}: an energy in millijoules. */
    static final class Millijoules implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return Units.millijoules(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A device profile: a YAML file or a built-in catalog id such as {@code raspberry-pi-4}. */
    static final class Profile implements ITypeConverter<DeviceProfile> {
        @Override
        public DeviceProfile convert(String value) {
            try {
                return DeviceProfiles.resolve(value);
            } catch (IOException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Ctrl-C (SIGINT/SIGTERM) interrupts the thread that made this and waits until it is closed, so a
     * sample's try-with-resources can release sockets, announce itself offline and print its summary
     * before the JVM exits. Tests stop a sample the same way: by interrupting its thread.
     */
    static final class CtrlC implements AutoCloseable {
        private final CountDownLatch closed = new CountDownLatch(1);
        private final Thread hook;

        CtrlC() {
            Thread worker = Thread.currentThread();
            hook = new Thread(() -> {
                worker.interrupt();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "edgesplit-sample-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void close() {
            Thread.interrupted(); // an interrupt that arrived mid-work must not abort the clean-up after it
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waited for us
            }
        }
    }
}
