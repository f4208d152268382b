package io.edgesplit.samples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sample running on its own thread of this JVM exactly as {@code samples/run} runs it (same
 * argument parsing, same output), stopped the way Ctrl-C stops it: by interrupting that thread.
 */
final class RunningSample {

    private final String name;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Thread thread;
    private volatile int exitCode = -1;

    private RunningSample(String name, Object command, String... args) {
        this.name = name;
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        thread = new Thread(() -> exitCode = Samples.run(command, args, o, e), name);
        thread.setDaemon(true);
    }

    static RunningSample start(String name, Object command, String... args) {
        RunningSample s = new RunningSample(name, command, args);
        s.thread.start();
        return s;
    }

    /** Runs to the end on this thread and returns the exit code. */
    static RunningSample runToEnd(Object command, String... args) {
        RunningSample s = new RunningSample("sample", command, args);
        s.thread.run();
        return s;
    }

    List<String> lines() {
        return new ArrayList<>(Arrays.asList(out.toString().split("\\R")));
    }

    String output() {
        return out.toString();
    }

    String errors() {
        return err.toString();
    }

    int exitCode() {
        return exitCode;
    }

    /** Lines matching {@code regex} so far. */
    List<Matcher> matching(String regex) {
        Pattern p = Pattern.compile(regex);
        List<Matcher> found = new ArrayList<>();
        for (String line : lines()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                found.add(m);
            }
        }
        return found;
    }

    /** Waits until at least {@code count} lines match; fails with everything the sample printed. */
    List<Matcher> await(String regex, int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            List<Matcher> found = matching(regex);
            if (found.size() >= count) {
                return found;
            }
            if (!thread.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        fail(name + ": expected " + count + " line(s) matching /" + regex + "/ within " + timeoutMillis + " ms"
                + (thread.isAlive() ? "" : " (it exited with " + exitCode + ")") + "; it printed:\n" + out
                + "\nstandard error:\n" + err);
        return null;
    }

    Matcher await(String regex, long timeoutMillis) throws InterruptedException {
        return await(regex, 1, timeoutMillis).get(0);
    }

    /** Ctrl-C: interrupts the sample and waits for it to clean up and exit. */
    int stop() throws InterruptedException {
        thread.interrupt();
        thread.join(30_000);
        if (thread.isAlive()) {
            fail(name + " did not stop within 30 s of Ctrl-C; it printed:\n" + out);
        }
        return exitCode;
    }
}
