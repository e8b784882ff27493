package dev.recur.onnx.graph;

import com.google.protobuf.ByteString;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.AttributeProto.AttributeType;
import dev.recur.onnx.proto.NodeProto;
import dev.recur.onnx.proto.TensorProto;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A node's attributes by name, read with the type the operator defines. An attribute whose {@code type} field
 * says otherwise, or one the operator does not define ({@link #requireKnown}), is an error naming the node.
 * Files from old exporters may leave {@code type} unset; the value field then decides.
 */
public final class Attributes {
    private final NodeLabel label;
    private final Map<String, AttributeProto> byName = new LinkedHashMap<>();

    public Attributes(NodeProto node, NodeLabel label) {
        this.label = label;
        for (AttributeProto a : node.getAttributeList()) {
            if (byName.put(a.getName(), a) != null) {
                throw label.error("attribute '" + a.getName() + "' appears twice");
            }
            if (a.hasRefAttrName()) {
                throw label.error("attribute '" + a.getName() + "' refers to a function attribute, which is not "
                        + "supported");
            }
        }
    }

    public NodeLabel label() {
        return label;
    }

    /** Refuses any attribute whose name is not in {@code known}. */
    public void requireKnown(Set<String> known) {
        for (String name : byName.keySet()) {
            if (!known.contains(name)) {
                throw label.error("attribute '" + name + "' is not one of " + label.opType() + "'s attributes "
                        + new TreeSet<>(known));
            }
        }
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The names present, in the file's order. */
    public Set<String> names() {
        return byName.keySet();
    }

    public long integer(String name, long fallback) {
        AttributeProto a = typed(name, AttributeType.INT);
        return a == null ? fallback : a.getI();
    }

    public float real(String name, float fallback) {
        AttributeProto a = typed(name, AttributeType.FLOAT);
        return a == null ? fallback : a.getF();
    }

    public String string(String name, String fallback) {
        AttributeProto a = typed(name, AttributeType.STRING);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** An INTS attribute, or null when absent. */
    public long[] ints(String name) {
        AttributeProto a = typed(name, AttributeType.INTS);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** A FLOATS attribute, or null when absent. */
    public float[] floats(String name) {
        AttributeProto a = typed(name, AttributeType.FLOATS);
        if (a == null) {
            return null;
        }
        float[] f = new float[a.getFloatsCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.getFloats(i);
        }
        return f;
    }

    /** A STRINGS attribute, or null when absent. */
    public List<String> strings(String name) {
        AttributeProto a = typed(name, AttributeType.STRINGS);
        if (a == null) {
            return null;
        }
        List<String> s = new ArrayList<>();
        for (ByteString b : a.getStringsList()) {
            s.add(b.toString(StandardCharsets.UTF_8));
        }
        return s;
    }

    /** A TENSOR attribute, or null when absent. */
    public TensorProto tensor(String name) {
        AttributeProto a = typed(name, AttributeType.TENSOR);
        return a == null ? null : a.getT();
    }

    /** "[0.5, 1.0]" for messages. */
    public static String format(float[] values) {
        return Arrays.toString(values);
    }

    private AttributeProto typed(String name, AttributeType want) {
        AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        AttributeType got = a.hasType() && a.getType() != AttributeType.UNDEFINED ? a.getType() : inferred(a);
        if (got != want) {
            throw label.error("attribute '" + name + "' expected type " + want + ", got " + got);
        }
        return a;
    }

    private static AttributeType inferred(AttributeProto a) {
        if (a.hasT()) {
            return AttributeType.TENSOR;
        }
        if (a.hasG()) {
            return AttributeType.GRAPH;
        }
        if (a.hasS()) {
            return AttributeType.STRING;
        }
        if (a.hasF()) {
            return AttributeType.FLOAT;
        }
        if (a.hasI()) {
            return AttributeType.INT;
        }
        if (a.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        }
        if (a.getIntsCount() > 0) {
            return AttributeType.INTS;
        }
        if (a.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        }
        return AttributeType.UNDEFINED;
    }
}
