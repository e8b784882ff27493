package dev.recur.cli.verify;

import dev.recur.core.tensor.Tensor;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.backend.BackendCase;
import dev.recur.onnx.proto.NodeProto;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A folder in the layout of ONNX's backend tests ({@code model.onnx}, {@code test_data_set_N/input_K.pb},
 * {@code output_K.pb}), run by Recur's ONNX import ({@link BackendCase}); every output is compared with the
 * output tolerance. A model Recur does not compute is malformed: the reason is the import's one line.
 */
final class OnnxBackendCase implements ReferenceCase {
    private final BackendCase backendCase;

    private OnnxBackendCase(BackendCase backendCase) {
        this.backendCase = backendCase;
    }

    static boolean matches(Path dir) {
        return BackendCase.matches(dir);
    }

    static OnnxBackendCase load(Path dir) throws IOException {
        return new OnnxBackendCase(BackendCase.load(dir));
    }

    @Override
    public String describe() {
        OnnxModel m = backendCase.model();
        TreeSet<String> ops = new TreeSet<>();
        for (NodeProto n : m.proto().getGraph().getNodeList()) {
            ops.add(n.getOpType());
        }
        int nodes = m.proto().getGraph().getNodeCount();
        int sets = backendCase.dataSets().size();
        return "ONNX model, opset " + m.opset() + ", " + nodes + (nodes == 1 ? " node " : " nodes ") + ops + ", "
                + sets + (sets == 1 ? " test data set" : " test data sets");
    }

    @Override
    public List<TensorCheck> run(double outputTolerance, double gradientTolerance) throws IOException {
        List<TensorCheck> checks = new ArrayList<>();
        for (BackendCase.Comparison c : backendCase.run()) {
            checks.add(TensorCheck.of(c.name(), Tensor.of(c.actual().asFloats(), c.actual().shape()),
                    Tensor.of(c.expected().asFloats(), c.expected().shape()), outputTolerance));
        }
        return checks;
    }
}
