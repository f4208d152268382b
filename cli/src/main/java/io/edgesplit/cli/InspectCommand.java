package io.edgesplit.cli;

import io.edgesplit.engine.ModelLoadException;
import io.edgesplit.graph.GraphTensor;
import io.edgesplit.graph.ModelGraph;
import io.edgesplit.graph.SplitCandidate;
import io.edgesplit.tensor.Quantization;
import io.edgesplit.tensor.TensorSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code edgesplit inspect MODEL.tflite [--json]}: inputs and outputs, operators by type, MACs and
 * parameters, and the candidate split points with the bytes that would cross each.
 */
@Command(name = "inspect", description = "Describe a .tflite model: tensors, operators, cost, split candidates.")
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL.tflite", description = "The model to inspect.")
    Path model;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws ModelLoadException {
        ModelGraph graph = ModelGraph.read(model);
        Report report = Report.of(graph, sizeOf(model));
        Json.print(spec.commandLine().getOut(), json, report, InspectCommand::printText);
        return 0;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** The inspect report; its record components are the JSON field names. */
    record Report(String model, long sizeBytes, long schemaVersion, int subgraphs, List<String> metadata,
            List<String> signatures, List<TensorInfo> inputs, List<TensorInfo> outputs, int operatorCount,
            Map<String, Integer> operators, long totalMacs, long totalParameters, List<Split> splitCandidates) {

        static Report of(ModelGraph g, long sizeBytes) {
            List<Split> splits = new ArrayList<>();
            for (SplitCandidate c : g.splitCandidates()) {
                List<TensorInfo> crossing = new ArrayList<>();
                for (GraphTensor t : c.crossing()) {
                    crossing.add(TensorInfo.of(t));
                }
                String op = c.afterOperator() < 0 ? null : g.operators().get(c.afterOperator()).opName();
                splits.add(new Split(c.afterOperator(), op, crossing, c.crossingBytes(), c.headMacs(), c.tailMacs()));
            }
            return new Report(g.source(), sizeBytes, g.schemaVersion(), g.subgraphCount(), g.metadataNames(),
                    g.signatureKeys(), g.inputs().stream().map(TensorInfo::of).toList(),
                    g.outputs().stream().map(TensorInfo::of).toList(), g.operators().size(), g.operatorCounts(),
                    g.totalMacs(), g.totalParameters(), splits);
        }
    }

    /** A tensor as reported: index, name, shape, Open Inference Protocol datatype, quantization, bytes. */
    record TensorInfo(int index, String name, int[] shape, String datatype, QuantInfo quantization, long bytes) {
        static TensorInfo of(GraphTensor t) {
            String type = t.hasSpec() ? t.spec().dataType().oipName() : t.typeName();
            QuantInfo q = t.hasSpec() ? QuantInfo.of(t.spec().quantization()) : null;
            return new TensorInfo(t.index(), t.name(), t.shape(), type, q, t.byteSize());
        }
    }

    /** Quantization as reported; null in JSON when the tensor is not quantized. */
    record QuantInfo(float[] scale, long[] zeroPoint, Integer axis) {
        static QuantInfo of(Quantization q) {
            if (!q.isQuantized()) {
                return null;
            }
            return new QuantInfo(q.scales(), q.zeroPoints(), q.isPerChannel() ? q.axis() : null);
        }
    }

    /** One split candidate: head runs operators 0..afterOperator. */
    record Split(int afterOperator, String operator, List<TensorInfo> crossing, long crossingBytes, long headMacs,
            long tailMacs) {
    }

    private static void printText(Report r, PrintWriter out) {
        out.printf("Model       %s (%s, schema v%d, %d subgraph%s)%n", r.model(), bytes(r.sizeBytes()),
                r.schemaVersion(), r.subgraphs(), r.subgraphs() == 1 ? "" : "s");
        for (TensorInfo t : r.inputs()) {
            out.printf("Input       %s%n", describe(t));
        }
        for (TensorInfo t : r.outputs()) {
            out.printf("Output      %s%n", describe(t));
        }
        StringBuilder ops = new StringBuilder();
        r.operators().forEach((name, count) -> ops.append(ops.length() == 0 ? "" : ", ").append(name).append(' ').append(count));
        out.printf("Operators   %d: %s%n", r.operatorCount(), ops);
        out.printf("MACs        %s%n", count(r.totalMacs()));
        out.printf("Parameters  %s%n", count(r.totalParameters()));
        if (!r.metadata().isEmpty()) {
            out.printf("Metadata    %s%n", String.join(", ", r.metadata()));
        }
        out.println();
        out.println("Split candidates (head runs operators 0..after; the crossing tensors go to the tail)");
        out.printf("%6s  %-18s %12s %10s %10s  %s%n", "after", "operator", "bytes", "head MACs", "tail MACs", "crossing tensors");
        for (Split s : r.splitCandidates()) {
            StringBuilder names = new StringBuilder();
            for (TensorInfo t : s.crossing()) {
                names.append(names.length() == 0 ? "" : " + ").append('#').append(t.index()).append(' ')
                        .append(TensorSpec.shapeString(t.shape())).append(' ').append(shortName(t.name()));
            }
            out.printf("%6d  %-18s %12d %10s %10s  %s%n", s.afterOperator(),
                    s.operator() == null ? "(model input)" : s.operator(), s.crossingBytes(), count(s.headMacs()),
                    count(s.tailMacs()), names);
        }
    }

    private static String describe(TensorInfo t) {
        String q = t.quantization() == null ? ""
                : t.quantization().axis() != null
                        ? "  per-channel quantization (axis " + t.quantization().axis() + ")"
                        : String.format(Locale.ROOT, "  scale=%s zero_point=%d", t.quantization().scale()[0],
                                t.quantization().zeroPoint()[0]);
        return String.format(Locale.ROOT, "%s %s %s%s", t.name(), TensorSpec.shapeString(t.shape()), t.datatype(), q);
    }

    /** Converter-generated names run to hundreds of characters; the text view keeps the last part. */
    private static String shortName(String name) {
        int semicolon = name.indexOf(';');
        String first = semicolon > 0 ? name.substring(0, semicolon) : name;
        return first.length() <= 48 ? first : "..." + first.substring(first.length() - 45);
    }

    static String count(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f G", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.2f M", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1f k", n / 1e3);
        }
        return Long.toString(n);
    }

    static String bytes(long n) {
        if (n >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
        }
        if (n >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }

}
