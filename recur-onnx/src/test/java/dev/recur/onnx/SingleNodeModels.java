package dev.recur.onnx;

import com.google.protobuf.ByteString;
import dev.recur.onnx.graph.TensorProtos;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.GraphProto;
import dev.recur.onnx.proto.ModelProto;
import dev.recur.onnx.proto.NodeProto;
import dev.recur.onnx.proto.OperatorSetIdProto;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorShapeProto;
import dev.recur.onnx.proto.TypeProto;
import dev.recur.onnx.proto.ValueInfoProto;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Builds one-node ONNX models for tests: graph inputs from example values (float, int64, and int32 for an input
 * named {@code sequence_lens}), float or int64 outputs.
 */
public final class SingleNodeModels {
    private SingleNodeModels() {}

    /**
     * A model of one node {@code opType} named {@code name} reading {@code inputs} (graph inputs shaped like the
     * example values; "" leaves an optional input out) and writing {@code outputs} (all declared float unless
     * listed in {@code intOutputs}).
     */
    public static ModelProto model(int opset, String opType, String name, Map<String, Value> inputs,
                                   List<String> nodeInputs, List<String> outputs, List<String> intOutputs,
                                   AttributeProto... attributes) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("test");
        for (Map.Entry<String, Value> e : inputs.entrySet()) {
            g.addInput(info(e.getKey(), e.getValue().isFloat(), e.getValue().shape()));
            if (e.getKey().equals("sequence_lens")) {
                // The recurrent operators take their lengths as int32.
                g.setInput(g.getInputCount() - 1, g.getInput(g.getInputCount() - 1).toBuilder().setType(
                        TypeProto.newBuilder().setTensorType(g.getInput(g.getInputCount() - 1).getType()
                                .getTensorType().toBuilder().setElemType(TensorProto.DataType.INT32_VALUE))));
            }
        }
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(name).addAllInput(nodeInputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        g.addNode(n);
        for (String out : outputs) {
            if (!out.isEmpty()) {
                g.addOutput(info(out, !intOutputs.contains(out), null));
            }
        }
        return ModelProto.newBuilder().setIrVersion(opset >= 21 ? 10 : opset >= 19 ? 9 : opset >= 15 ? 8 : 7)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(opset)).setGraph(g).build();
    }

    public static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto real(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static AttributeProto floats(String name, float... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.FLOATS);
        for (float x : v) {
            a.addFloats(x);
        }
        return a.build();
    }

    public static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(v, StandardCharsets.UTF_8)).build();
    }

    public static AttributeProto strings(String name, String... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String x : v) {
            a.addStrings(ByteString.copyFrom(x, StandardCharsets.UTF_8));
        }
        return a.build();
    }

    public static AttributeProto tensor(String name, Value v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.TENSOR)
                .setT(TensorProtos.write(name, v)).build();
    }

    private static ValueInfoProto info(String name, boolean isFloat, int[] shape) {
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(isFloat
                ? TensorProto.DataType.FLOAT_VALUE : TensorProto.DataType.INT64_VALUE);
        if (shape != null) {
            TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
            for (int d : shape) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
