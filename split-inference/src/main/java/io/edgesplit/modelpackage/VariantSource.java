package io.edgesplit.modelpackage;

import io.edgesplit.graph.ModelGraph;
import java.util.Objects;

/**
 * A model to put into a package as one variant: its graph, where it came from, its width and
 * (optionally) its accuracy. Immutable.
 */
public final class VariantSource {

    private final ModelGraph graph;
    private final String sourceFile;
    private final String sourceSha256;
    private final double width;
    private final Double accuracy;
    private final boolean calibrated;
    private final String derivedFrom;

    public VariantSource(ModelGraph graph, String sourceFile, String sourceSha256, double width, Double accuracy,
            boolean calibrated, String derivedFrom) {
        this.graph = Objects.requireNonNull(graph, "graph");
        this.sourceFile = Objects.requireNonNull(sourceFile, "sourceFile");
        this.sourceSha256 = Objects.requireNonNull(sourceSha256, "sourceSha256");
        if (!(width > 0 && width <= 1)) {
            throw new IllegalArgumentException("width: must be in (0, 1], was " + width + " for " + sourceFile);
        }
        if (accuracy != null && (accuracy < 0 || accuracy > 1)) {
            throw new IllegalArgumentException("accuracy: must be in [0, 1], was " + accuracy + " for " + sourceFile);
        }
        this.width = width;
        this.accuracy = accuracy;
        this.calibrated = calibrated;
        this.derivedFrom = derivedFrom;
    }

    /** A model read from a file, calibrated (its accuracy, if given, was measured). */
    public static VariantSource of(ModelGraph graph, String sourceFile, String sourceSha256, double width,
            Double accuracy) {
        return new VariantSource(graph, sourceFile, sourceSha256, width, accuracy, true, null);
    }

    public ModelGraph graph() {
        return graph;
    }

    public String sourceFile() {
        return sourceFile;
    }

    public String sourceSha256() {
        return sourceSha256;
    }

    public double width() {
        return width;
    }

    public Double accuracy() {
        return accuracy;
    }

    public boolean calibrated() {
        return calibrated;
    }

    public String derivedFrom() {
        return derivedFrom;
    }

    /** "w0.50". */
    public String variantId() {
        return variantId(width);
    }

    public static String variantId(double width) {
        return String.format(java.util.Locale.ROOT, "w%.2f", width);
    }
}
