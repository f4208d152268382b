package io.edgesplit.graph;

import java.util.List;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.Pool2DOptionsT;

/**
 * Multiply-accumulate counts per operator, from tensor shapes alone (the inputs of a
 * Neurosurgeon-style per-operator cost model).
 */
final class OperatorCosts {

    private OperatorCosts() {
    }

    static long macs(int builtin, OperatorT op, int[] inputs, int[] outputs, List<GraphTensor> tensors) {
        long outElems = 0;
        for (int o : outputs) {
            outElems += tensors.get(o).elementCount();
        }
        switch (builtin) {
            case BuiltinOperator.CONV_2D: {
                // output [N,Ho,Wo,Co], filter [Co,Kh,Kw,Ci/groups]
                int[] f = shapeOf(inputs, 1, tensors);
                return f.length == 4 ? outElems * f[1] * f[2] * f[3] : outElems;
            }
            case BuiltinOperator.DEPTHWISE_CONV_2D: {
                // filter [1,Kh,Kw,Co]
                int[] f = shapeOf(inputs, 1, tensors);
                return f.length == 4 ? outElems * f[1] * f[2] : outElems;
            }
            case BuiltinOperator.CONV_3D: {
                // filter [Kd,Kh,Kw,Ci,Co]
                int[] f = shapeOf(inputs, 1, tensors);
                return f.length == 5 ? outElems * f[0] * f[1] * f[2] * f[3] : outElems;
            }
            case BuiltinOperator.FULLY_CONNECTED: {
                // weights [O, I]: every output element sums I products
                int[] w = shapeOf(inputs, 1, tensors);
                return w.length == 2 ? outElems * w[1] : outElems;
            }
            case BuiltinOperator.TRANSPOSE_CONV: {
                // inputs: output_shape, weights [Co,Kh,Kw,Ci], input [N,H,W,Ci]
                int[] w = shapeOf(inputs, 1, tensors);
                long inElems = elements(inputs, 2, tensors);
                return w.length == 4 ? inElems * w[0] * w[1] * w[2] : outElems;
            }
            case BuiltinOperator.BATCH_MATMUL: {
                int[] a = shapeOf(inputs, 0, tensors);
                return a.length >= 2 ? outElems * a[a.length - 1] : outElems;
            }
            case BuiltinOperator.AVERAGE_POOL_2D:
            case BuiltinOperator.MAX_POOL_2D:
            case BuiltinOperator.L2_POOL_2D: {
                Object options = op.getBuiltinOptions() == null ? null : op.getBuiltinOptions().getValue();
                if (options instanceof Pool2DOptionsT) {
                    Pool2DOptionsT p = (Pool2DOptionsT) options;
                    return outElems * Math.max(1, p.getFilterHeight()) * Math.max(1, p.getFilterWidth());
                }
                return outElems;
            }
            case BuiltinOperator.MEAN:
            case BuiltinOperator.SUM:
            case BuiltinOperator.REDUCE_MAX:
            case BuiltinOperator.REDUCE_MIN:
            case BuiltinOperator.REDUCE_PROD:
                return elements(inputs, 0, tensors);
            case BuiltinOperator.RESHAPE:
            case BuiltinOperator.SQUEEZE:
            case BuiltinOperator.EXPAND_DIMS:
            case BuiltinOperator.CONCATENATION:
            case BuiltinOperator.SPLIT:
            case BuiltinOperator.SPLIT_V:
            case BuiltinOperator.SLICE:
            case BuiltinOperator.STRIDED_SLICE:
            case BuiltinOperator.GATHER:
            case BuiltinOperator.TRANSPOSE:
            case BuiltinOperator.PACK:
            case BuiltinOperator.UNPACK:
            case BuiltinOperator.PAD:
            case BuiltinOperator.PADV2:
            case BuiltinOperator.SHAPE:
                return 0;
            default:
                return outElems;
        }
    }

    private static int[] shapeOf(int[] inputs, int position, List<GraphTensor> tensors) {
        if (position >= inputs.length || inputs[position] < 0) {
            return new int[0];
        }
        return tensors.get(inputs[position]).shape();
    }

    private static long elements(int[] inputs, int position, List<GraphTensor> tensors) {
        if (position >= inputs.length || inputs[position] < 0) {
            return 0;
        }
        return tensors.get(inputs[position]).elementCount();
    }
}
