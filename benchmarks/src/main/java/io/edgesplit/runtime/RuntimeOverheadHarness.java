package io.edgesplit.runtime;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@link RuntimeBenchmark}'s two comparisons measured interleaved (A, B, A, B, ...) so that machine
 * noise hits both sides equally, reporting medians and their ratio: a shared or loaded machine
 * moves absolute JMH figures by tens of percent, the ratio of interleaved runs much less.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.edgesplit.runtime.RuntimeOverheadHarness [runs=400]</pre>
 */
public final class RuntimeOverheadHarness {

    private RuntimeOverheadHarness() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 400;
        RuntimeBenchmark b = new RuntimeBenchmark();
        b.setUp();
        try {
            for (int i = 0; i < 50; i++) {
                b.bareInvoke();
                b.runtimeInfer();
                b.switchWarm();
            }
            long[] bare = new long[runs];
            long[] rt = new long[runs];
            for (int i = 0; i < runs; i++) {
                // Alternate which side goes first, so neither always inherits the other's cache state.
                if (i % 2 == 0) {
                    long t0 = System.nanoTime();
                    b.bareInvoke();
                    long t1 = System.nanoTime();
                    b.runtimeInfer();
                    long t2 = System.nanoTime();
                    bare[i] = t1 - t0;
                    rt[i] = t2 - t1;
                } else {
                    long t0 = System.nanoTime();
                    b.runtimeInfer();
                    long t1 = System.nanoTime();
                    b.bareInvoke();
                    long t2 = System.nanoTime();
                    rt[i] = t1 - t0;
                    bare[i] = t2 - t1;
                }
            }
            int switches = Math.max(20, runs / 10);
            long[] warm = new long[switches];
            long[] load = new long[switches];
            for (int i = 0; i < switches; i++) {
                long t0 = System.nanoTime();
                b.switchWarm();
                long t1 = System.nanoTime();
                b.switchByLoading();
                long t2 = System.nanoTime();
                warm[i] = t1 - t0;
                load[i] = t2 - t1;
            }
            double bareMs = median(bare) / 1e6;
            double rtMs = median(rt) / 1e6;
            System.out.printf(Locale.ROOT, "local inference: bare session p50 %.3f ms, EdgeRuntime.infer p50 %.3f ms, "
                    + "overhead %.2f%% (target <= 3%%)%n", bareMs, rtMs, (rtMs / bareMs - 1) * 100);
            double warmUs = median(warm) / 1e3;
            double loadUs = median(load) / 1e3;
            System.out.printf(Locale.ROOT, "width switch: warm session p50 %.2f us, load on demand p50 %.1f us, "
                    + "%.0fx cheaper (target >= 100x and <= 100 us)%n", warmUs, loadUs, loadUs / warmUs);
        } finally {
            b.tearDown();
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
