package dev.recur.onnx.graph;

import dev.recur.core.RecurException;
import dev.recur.onnx.proto.GraphProto;
import dev.recur.onnx.proto.ModelProto;
import dev.recur.onnx.proto.NodeProto;
import dev.recur.onnx.proto.OperatorSetIdProto;
import dev.recur.onnx.proto.TensorProto;
import dev.recur.onnx.proto.TensorShapeProto;
import dev.recur.onnx.proto.TypeProto;
import dev.recur.onnx.proto.ValueInfoProto;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An ONNX graph compiled for running: every node's operator found and its attributes checked when the model
 * loads, the initializers read once. {@link #run} feeds the graph inputs and evaluates the nodes in the file's
 * order, which ONNX requires to be topological (checked at load).
 */
public final class GraphProgram {
    private record Step(NodeLabel label, NodeProto node, NodeKernel kernel) {}

    private final String source;
    private final int opset;
    private final Map<String, Value> initializers;
    private final List<GraphInput> inputs;
    private final List<String> outputs;
    private final List<Step> steps;

    private GraphProgram(String source, int opset, Map<String, Value> initializers, List<GraphInput> inputs,
                         List<String> outputs, List<Step> steps) {
        this.source = source;
        this.opset = opset;
        this.initializers = initializers;
        this.inputs = inputs;
        this.outputs = outputs;
        this.steps = steps;
    }

    /**
     * Compiles {@code model}'s graph with the operators of {@code ops}; {@code source} names the file in errors.
     * A node of another domain or of an operator not in {@code ops} is refused, naming the node.
     */
    public static GraphProgram compile(ModelProto model, String source, Map<String, OpFactory> ops) {
        if (!model.hasGraph()) {
            throw new RecurException(source + ": the model has no graph");
        }
        int opset = defaultOpset(model, source);
        GraphProto graph = model.getGraph();
        Map<String, Value> initializers = new LinkedHashMap<>();
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), TensorProtos.read(t, source + ": initializer '" + t.getName() + "'"));
        }
        List<GraphInput> inputs = new ArrayList<>();
        Set<String> defined = new HashSet<>(initializers.keySet());
        for (ValueInfoProto v : graph.getInputList()) {
            inputs.add(declared(v, initializers.containsKey(v.getName()), source));
            defined.add(v.getName());
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto node = graph.getNode(i);
            NodeLabel label = NodeLabel.of(source, i, node);
            String domain = node.getDomain();
            if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
                throw label.error("operator domain '" + domain + "' is not supported; Recur runs the default "
                        + "ONNX domain");
            }
            OpFactory factory = ops.get(node.getOpType());
            if (factory == null) {
                throw label.error("operator " + node.getOpType() + " is not supported; Recur runs "
                        + String.join(", ", new TreeSet<>(ops.keySet())));
            }
            for (String in : node.getInputList()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw label.error("input '" + in + "' is not a graph input, an initializer or an earlier "
                            + "node's output");
                }
            }
            steps.add(new Step(label, node, factory.compile(node, label, opset)));
            for (String out : node.getOutputList()) {
                if (!out.isEmpty()) {
                    defined.add(out);
                }
            }
        }
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : graph.getOutputList()) {
            if (!defined.contains(v.getName())) {
                throw new RecurException(source + ": graph output '" + v.getName() + "' is computed by no node");
            }
            outputs.add(v.getName());
        }
        return new GraphProgram(source, opset, initializers, List.copyOf(inputs), List.copyOf(outputs),
                List.copyOf(steps));
    }

    /** The version of the default domain the model imports. */
    public int opset() {
        return opset;
    }

    /** The declared graph inputs, in the file's order (those with an initializer may be left out of a run). */
    public List<GraphInput> inputs() {
        return inputs;
    }

    /** The graph output names, in the file's order. */
    public List<String> outputs() {
        return outputs;
    }

    /** The initializer values by name (weights, constants). */
    public Map<String, Value> initializers() {
        return Collections.unmodifiableMap(initializers);
    }

    /**
     * Runs the graph on {@code feeds} (graph input name to value) and returns every graph output by name, in
     * the file's order. A feed that names no input, has the wrong kind or contradicts a fixed dimension, and a
     * missing input without an initializer, are errors naming the input.
     */
    public Map<String, Value> run(Map<String, Value> feeds) {
        Map<String, Value> values = new HashMap<>(initializers);
        Map<String, GraphInput> byName = new LinkedHashMap<>();
        for (GraphInput in : inputs) {
            byName.put(in.name(), in);
        }
        for (Map.Entry<String, Value> e : feeds.entrySet()) {
            GraphInput in = byName.get(e.getKey());
            if (in == null) {
                throw new RecurException(source + ": no graph input is named '" + e.getKey() + "'; inputs are "
                        + byName.keySet());
            }
            check(in, e.getValue());
            values.put(e.getKey(), e.getValue());
        }
        for (GraphInput in : inputs) {
            if (!values.containsKey(in.name())) {
                throw new RecurException(source + ": graph input '" + in.describe() + "' was not given");
            }
        }
        for (Step step : steps) {
            Value[] args = new Value[step.node().getInputCount()];
            for (int i = 0; i < args.length; i++) {
                String name = step.node().getInput(i);
                if (!name.isEmpty()) {
                    args[i] = values.get(name);
                    if (args[i] == null) {
                        throw step.label().error("input '" + name + "' has no value (an optional output that "
                                + "its node did not compute)");
                    }
                }
            }
            Value[] results = step.kernel().run(args);
            for (int i = 0; i < step.node().getOutputCount(); i++) {
                String name = step.node().getOutput(i);
                if (!name.isEmpty() && i < results.length && results[i] != null) {
                    values.put(name, results[i]);
                }
            }
        }
        Map<String, Value> out = new LinkedHashMap<>();
        for (String name : outputs) {
            Value v = values.get(name);
            if (v == null) {
                throw new RecurException(source + ": graph output '" + name + "' was not computed");
            }
            out.put(name, v);
        }
        return out;
    }

    private void check(GraphInput in, Value v) {
        if (in.kind() != v.kind()) {
            throw new RecurException(source + ": graph input '" + in.describe() + "' was given " + v.describe());
        }
        int[] dims = in.dims();
        if (dims == null) {
            return;
        }
        boolean fits = dims.length == v.rank();
        for (int a = 0; fits && a < dims.length; a++) {
            fits = dims[a] < 0 || dims[a] == v.dim(a);
        }
        if (!fits) {
            throw new RecurException(source + ": graph input '" + in.describe() + "' was given " + v.describe());
        }
    }

    private static int defaultOpset(ModelProto model, String source) {
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                return (int) o.getVersion();
            }
        }
        throw new RecurException(source + ": the model imports no version of the default ONNX domain (opset_import)");
    }

    private static GraphInput declared(ValueInfoProto v, boolean hasDefault, String source) {
        TypeProto type = v.getType();
        if (!type.hasTensorType()) {
            throw new RecurException(source + ": graph input '" + v.getName() + "' is not a tensor; Recur takes "
                    + "tensor inputs only");
        }
        TypeProto.Tensor tensor = type.getTensorType();
        TensorProto.DataType elem = TensorProto.DataType.forNumber(tensor.getElemType());
        Value.Kind kind;
        if (elem == TensorProto.DataType.FLOAT || elem == TensorProto.DataType.DOUBLE
                || elem == TensorProto.DataType.FLOAT16 || elem == TensorProto.DataType.BFLOAT16) {
            kind = Value.Kind.FLOAT;
        } else if (elem != null && elem != TensorProto.DataType.STRING && elem != TensorProto.DataType.UNDEFINED
                && elem != TensorProto.DataType.COMPLEX64 && elem != TensorProto.DataType.COMPLEX128) {
            kind = Value.Kind.INT64;
        } else {
            throw new RecurException(source + ": graph input '" + v.getName() + "' has element type "
                    + (elem == null ? tensor.getElemType() : elem) + ", which Recur does not read");
        }
        if (!tensor.hasShape()) {
            return new GraphInput(v.getName(), kind, null, hasDefault);
        }
        List<TensorShapeProto.Dimension> dimList = tensor.getShape().getDimList();
        int[] dims = new int[dimList.size()];
        for (int i = 0; i < dims.length; i++) {
            TensorShapeProto.Dimension d = dimList.get(i);
            dims[i] = d.hasDimValue() && d.getDimValue() <= Integer.MAX_VALUE ? (int) d.getDimValue() : -1;
        }
        return new GraphInput(v.getName(), kind, dims, hasDefault);
    }

    @Override
    public String toString() {
        return source + " (opset " + opset + ", " + steps.size() + " nodes, inputs " + Arrays.toString(
                inputs.stream().map(GraphInput::describe).toArray()) + ")";
    }
}
