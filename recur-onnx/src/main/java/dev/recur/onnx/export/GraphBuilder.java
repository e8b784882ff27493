package dev.recur.onnx.export;

import com.google.protobuf.ByteString;
import dev.recur.onnx.graph.TensorProtos;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.GraphProto;
import dev.recur.onnx.proto.NodeProto;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorShapeProto;
import dev.recur.onnx.proto.TypeProto;
import dev.recur.onnx.proto.ValueInfoProto;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Assembles an ONNX graph: inputs and outputs with their element types and dimensions (a {@code String} for a
 * symbolic size such as {@code "batch"}, an {@code Integer} for a fixed one), initializers, and nodes with
 * their attributes. Names must be unique; {@link #fresh} makes one from a stem.
 */
final class GraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();

    GraphBuilder(String name) {
        graph.setName(name);
    }

    /** A name not used yet: {@code stem}, else {@code stem_1}, {@code stem_2}, ... */
    String fresh(String stem) {
        String name = stem;
        for (int i = 1; names.contains(name); i++) {
            name = stem + "_" + i;
        }
        names.add(name);
        return name;
    }

    /** Declares a graph input. */
    void input(String name, TensorProto.DataType type, Object... dims) {
        claim(name);
        graph.addInput(valueInfo(name, type, dims));
    }

    /** Declares a graph output (computed by some node under this name). */
    void output(String name, TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** Adds an initializer (a weight or a constant) under a fresh name made from {@code stem}; returns the name. */
    String initializer(String stem, Value value) {
        String name = fresh(stem);
        graph.addInitializer(TensorProtos.write(name, value));
        return name;
    }

    /** A 1-D int64 initializer (shapes, axes, slice bounds); returns its name. */
    String int64s(String stem, long... values) {
        return initializer(stem, Value.longs(values.clone(), values.length));
    }

    /**
     * Adds a node; an empty string in {@code inputs} leaves an optional input out, and outputs named here are
     * claimed (use {@link #fresh} for intermediate values). Returns {@code outputs} for chaining.
     */
    List<String> node(String opType, String nodeName, List<String> inputs, List<String> outputs,
                      AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(nodeName)
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        for (String out : outputs) {
            if (!out.isEmpty()) {
                names.add(out);
            }
        }
        graph.addNode(n);
        return outputs;
    }

    /** A node with one output named by {@link #fresh}; returns that name. */
    String apply(String opType, String stem, List<String> inputs, AttributeProto... attributes) {
        String out = fresh(stem);
        node(opType, out, inputs, List.of(out), attributes);
        return out;
    }

    GraphProto build() {
        return graph.build();
    }

    static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto real(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value)
                .build();
    }

    static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8)).build();
    }

    static AttributeProto strings(String name, List<String> values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) {
            a.addStrings(ByteString.copyFrom(v, StandardCharsets.UTF_8));
        }
        return a.build();
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private void claim(String name) {
        if (!names.add(name)) {
            throw new IllegalStateException("graph name '" + name + "' is used twice");
        }
    }

    private static ValueInfoProto valueInfo(String name, TensorProto.DataType type, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else {
                dim.setDimValue(((Integer) d).longValue());
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape))).build();
    }
}
