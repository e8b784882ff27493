package dev.recur.onnx;

import dev.recur.onnx.graph.MathOps;
import dev.recur.onnx.graph.OpFactory;
import dev.recur.onnx.graph.ShapeOps;
import dev.recur.onnx.rnn.RecurrentKernel;
import dev.recur.onnx.rnn.RnnOperator;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every ONNX operator the import runs: the recurrent {@code LSTM}, {@code GRU} and {@code RNN} on Recur's
 * {@code RnnLayer}, and the glue around them ({@link ShapeOps}, {@link MathOps}). The one place that lists them.
 */
public final class OnnxOps {
    private static final Map<String, OpFactory> ALL = build();

    private OnnxOps() {}

    /** Operator type to factory, sorted by name. */
    public static Map<String, OpFactory> all() {
        return ALL;
    }

    private static Map<String, OpFactory> build() {
        Map<String, OpFactory> ops = new TreeMap<>();
        ShapeOps.register(ops);
        MathOps.register(ops);
        for (RnnOperator op : RnnOperator.values()) {
            ops.put(op.name(), RecurrentKernel.factory(op));
        }
        return Collections.unmodifiableMap(ops);
    }
}
