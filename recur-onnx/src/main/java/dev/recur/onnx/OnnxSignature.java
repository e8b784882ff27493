package dev.recur.onnx;

import dev.recur.onnx.proto.ModelProto;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorShapeProto;
import dev.recur.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A model's graph inputs and outputs as text, one per line: {@code in  h0  float [2, batch, 7]}. */
public final class OnnxSignature {
    private OnnxSignature() {}

    /** One line per graph input (not backed by an initializer), then one per output. */
    public static List<String> lines(ModelProto model) {
        List<String> lines = new ArrayList<>();
        List<String> initializers = model.getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
        for (ValueInfoProto v : model.getGraph().getInputList()) {
            if (!initializers.contains(v.getName())) {
                lines.add(line("in ", v));
            }
        }
        for (ValueInfoProto v : model.getGraph().getOutputList()) {
            lines.add(line("out", v));
        }
        return lines;
    }

    private static String line(String direction, ValueInfoProto v) {
        StringBuilder dims = new StringBuilder("[");
        for (TensorShapeProto.Dimension d : v.getType().getTensorType().getShape().getDimList()) {
            dims.append(dims.length() > 1 ? ", " : "").append(d.hasDimParam() ? d.getDimParam()
                    : d.hasDimValue() ? String.valueOf(d.getDimValue()) : "?");
        }
        TensorProto.DataType type = TensorProto.DataType.forNumber(v.getType().getTensorType().getElemType());
        String typeName = type == null ? "?" : type.name().toLowerCase(Locale.ROOT);
        return String.format(Locale.ROOT, "%s  %-10s %-7s %s]", direction, v.getName(), typeName, dims);
    }
}
