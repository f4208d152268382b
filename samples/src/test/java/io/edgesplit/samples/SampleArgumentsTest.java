package io.edgesplit.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments end with exit code 2 and a message that names the option, before anything starts. */
class SampleArgumentsTest {

    @TempDir
    static Path state;

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(new AppLoop(), new String[] {"--frames", "-1"}, "--frames: must be >= 0"),
                Arguments.of(new AppLoop(), new String[] {"--deadline", "100"}, "missing unit in '100'"),
                Arguments.of(new AppLoop(), new String[] {"--deadline", "0ms"}, "--deadline: must be > 0"),
                Arguments.of(new AppLoop(), new String[] {"--min-accuracy", "75"}, "--min-accuracy: must be in [0, 1]"),
                Arguments.of(new AppLoop(), new String[] {"--device", "raspberry-pi-9"}, "--device': raspberry-pi-9: no such file and no built-in profile of that name, did you mean"),
                Arguments.of(new AppLoop(), new String[] {"--broker", "http://127.0.0.1:1883"},
                        "--broker: 'http://127.0.0.1:1883' must be ssl://host:port or tcp://host:port"),
                Arguments.of(new AppLoop(), new String[] {"--broker", "tcp://broker.example:1883"},
                        "plaintext to a remote broker"),
                Arguments.of(new AppLoop(), new String[] {"--broker", "tcp://127.0.0.1:1883", "--node", "app/1"},
                        "--node: 'app/1' must be 1-64 letters"),
                Arguments.of(new AppLoop(), new String[] {"--package", "/no/such/package"},
                        "--package: /no/such/package: no such directory"),
                Arguments.of(new AppLoop(), new String[] {"--fps", "10"}, "Unknown options: '--fps', '10'"),
                Arguments.of(new EdgeServerSample(), new String[] {"--port", "70000"}, "--port: must be 0..65535"),
                Arguments.of(new EdgeServerSample(), new String[] {"--broker", "tcp://127.0.0.1:1883", "--broker-port",
                    "1884"}, "--broker-port is for the in-process broker"),
                Arguments.of(new EdgeServerSample(), new String[] {"--fleet", "plant#7"}, "--fleet: 'plant#7'"),
                Arguments.of(new FleetControllerSample(), new String[] {}, "Missing required option: '--broker=URL'"),
                Arguments.of(new FleetControllerSample(), new String[] {"--broker", "tcp://127.0.0.1:1883", "--policy",
                    "fastest"}, "--policy: 'fastest' is not one of [adaptive, local-only, edge-only, cloud-only]"),
                Arguments.of(new FleetControllerSample(), new String[] {"--broker", "tcp://127.0.0.1:1883", "--device",
                    "app+1"}, "--device: 'app+1' must be 1-64 letters"),
                Arguments.of(new FleetControllerSample(), new String[] {"--broker", "tcp://127.0.0.1:1883",
                    "--telemetry-every", "10ms"}, "telemetryIntervalMs: must be between 1000 and 86400000, was 10"),
                Arguments.of(new FleetControllerSample(), new String[] {"--broker", "tcp://127.0.0.1:1883", "--energy",
                    "5mW"}, "Invalid value for option '--energy'"));
    }

    @ParameterizedTest
    @MethodSource("badArguments")
    void badArgumentsExitWithCode2AndNameTheOption(Object sample, String[] args, String message) {
        String[] withState = Stream.concat(Stream.of(args), Stream.of("--state", state.toString())).toArray(String[]::new);
        RunningSample run = RunningSample.runToEnd(sample, withState);
        assertEquals(2, run.exitCode(), run.output() + run.errors());
        assertTrue(run.errors().contains(message), "expected '" + message + "' in:\n" + run.errors());
        assertTrue(run.output().isEmpty(), "nothing started: " + run.output());
    }

    @Test
    void aPackageThatIsNotOneFailsWithExitCode1AndSaysWhy() throws Exception {
        Path notAPackage = Files.createDirectories(state.resolve("empty"));
        RunningSample run = RunningSample.runToEnd(new AppLoop(), "--package", notAPackage.toString(), "--state",
                state.toString());
        assertEquals(1, run.exitCode(), run.output() + run.errors());
        assertTrue(run.errors().startsWith("app-loop: error: ") && run.errors().contains("manifest.json"),
                run.errors());
    }
}
