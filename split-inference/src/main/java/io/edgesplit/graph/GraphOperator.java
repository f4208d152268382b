package io.edgesplit.graph;

/**
 * An operator of a {@link ModelGraph}'s primary subgraph with its cost: multiply-accumulates (MACs)
 * and the parameters (constant input elements) it reads. Immutable.
 *
 * <p>MACs: convolutions, fully connected and matrix products count multiply-accumulates; pooling
 * counts one per window element; other operators count one per output element; pure data movement
 * (reshape, squeeze, concatenation, ...) counts zero.
 */
public final class GraphOperator {

    private final int index;
    private final int builtinCode;
    private final String opName;
    private final String customCode;
    private final int version;
    private final int[] inputs;
    private final int[] outputs;
    private final long macs;
    private final long parameters;

    GraphOperator(int index, int builtinCode, String opName, String customCode, int version, int[] inputs,
            int[] outputs, long macs, long parameters) {
        this.index = index;
        this.builtinCode = builtinCode;
        this.opName = opName;
        this.customCode = customCode;
        this.version = version;
        this.inputs = inputs;
        this.outputs = outputs;
        this.macs = macs;
        this.parameters = parameters;
    }

    public int index() {
        return index;
    }

    /** TensorFlow Lite's builtin operator code ({@code BuiltinOperator}). */
    public int builtinCode() {
        return builtinCode;
    }

    /** "CONV_2D", "ADD", ... or "CUSTOM". */
    public String opName() {
        return opName;
    }

    public boolean isCustom() {
        return customCode != null;
    }

    /** The custom operator's name, or null for builtin operators. */
    public String customCode() {
        return customCode;
    }

    public int version() {
        return version;
    }

    /** Input tensor indices; -1 marks an omitted optional input. */
    public int[] inputs() {
        return inputs.clone();
    }

    public int[] outputs() {
        return outputs.clone();
    }

    public long macs() {
        return macs;
    }

    public long parameters() {
        return parameters;
    }

    /** "CONV_2D v3" or "custom 'MyOp' v1", the form used in error messages. */
    public String describe() {
        return (customCode != null ? "custom '" + customCode + "'" : opName) + " v" + version;
    }

    @Override
    public String toString() {
        return "operator " + index + " " + describe();
    }
}
