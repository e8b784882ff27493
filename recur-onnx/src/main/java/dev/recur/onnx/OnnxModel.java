package dev.recur.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.recur.core.RecurException;
import dev.recur.onnx.graph.GraphInput;
import dev.recur.onnx.graph.GraphProgram;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model loaded into Recur: a graph of {@code LSTM}, {@code GRU} and {@code RNN} nodes (run by Recur's
 * {@code RnnLayer}) and the glue between them (see {@link OnnxOps}). Loading reads every node and refuses, in
 * one line naming the file, the node and the attribute, whatever Recur does not compute; {@link #run} takes
 * the graph inputs by name and returns the graph outputs by name.
 */
public final class OnnxModel {
    private final Path path;
    private final ModelProto proto;
    private final GraphProgram program;

    private OnnxModel(Path path, ModelProto proto, GraphProgram program) {
        this.path = path;
        this.proto = proto;
        this.program = program;
    }

    /** Reads and compiles {@code file}. */
    public static OnnxModel load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return of(read(file), file);
    }

    /** Compiles a model already in memory; {@code path} names it in errors. */
    public static OnnxModel of(ModelProto proto, Path path) {
        return new OnnxModel(path, proto, GraphProgram.compile(proto, path.toString(), OnnxOps.all()));
    }

    /** Parses an ONNX file without compiling it. */
    public static ModelProto read(Path file) throws IOException {
        try {
            return ModelProto.parseFrom(Files.readAllBytes(file));
        } catch (InvalidProtocolBufferException e) {
            throw new RecurException(file + ": not an ONNX model (" + e.getMessage() + ")", e);
        }
    }

    public Path path() {
        return path;
    }

    public ModelProto proto() {
        return proto;
    }

    /** The version of the default ONNX domain the model imports. */
    public int opset() {
        return program.opset();
    }

    /** The graph inputs in the file's order. */
    public List<GraphInput> inputs() {
        return program.inputs();
    }

    /** The graph output names in the file's order. */
    public List<String> outputs() {
        return program.outputs();
    }

    /** The initializers (weights and constants) by name. */
    public Map<String, Value> initializers() {
        return program.initializers();
    }

    /** Runs the graph: inputs by name (those with an initializer may be left out), outputs by name in order. */
    public Map<String, Value> run(Map<String, Value> feeds) {
        return program.run(feeds);
    }

    /** "model.onnx: opset 17, 3 nodes, ...". */
    public String describe() {
        return program.toString();
    }
}
