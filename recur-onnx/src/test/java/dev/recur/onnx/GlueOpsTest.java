package dev.recur.onnx;

import static dev.recur.onnx.SingleNodeModels.floats;
import static dev.recur.onnx.SingleNodeModels.integer;
import static dev.recur.onnx.SingleNodeModels.ints;
import static dev.recur.onnx.SingleNodeModels.model;
import static dev.recur.onnx.SingleNodeModels.real;
import static dev.recur.onnx.SingleNodeModels.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The operators around recurrent nodes, each in a one-node model run by ONNX Runtime and by Recur's import:
 * shapes must agree, floats to 1e-6 of the largest magnitude and integers exactly. The awkward cases are the
 * point: negative axes and indices, negative slice steps, zeros and -1 in Reshape, broadcast batches in MatMul.
 */
class GlueOpsTest {
    private final Rng rng = new Rng(7);

    private Value randn(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) rng.nextGaussian();
        }
        return Value.floats(d, shape);
    }

    private static Value longs(long[] values, int... shape) {
        return Value.longs(values, shape);
    }

    private static Map<String, Value> feeds(Object... nameValue) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            m.put((String) nameValue[i], (Value) nameValue[i + 1]);
        }
        return m;
    }

    private static void check(int opset, String op, Map<String, Value> feeds, List<String> nodeInputs,
                              AttributeProto... attributes) throws Exception {
        checkOutputs(opset, op, feeds, nodeInputs, List.of(), attributes);
    }

    private static void checkOutputs(int opset, String op, Map<String, Value> feeds, List<String> nodeInputs,
                                     List<String> intOutputs, AttributeProto... attributes) throws Exception {
        ModelProto m = model(opset, op, op.toLowerCase(), feeds, nodeInputs, List.of("y"), intOutputs, attributes);
        Map<String, Value> expected = OrtRunner.run(m, feeds);
        Map<String, Value> got = OnnxModel.of(m, Path.of(op + ".onnx")).run(feeds);
        Value e = expected.get("y");
        Value g = got.get("y");
        assertThat(g.shape()).as(op + " shape").containsExactly(e.shape());
        assertThat(g.kind()).as(op + " kind").isEqualTo(e.kind());
        if (!e.isFloat()) {
            assertThat(g.longData(op)).as(op).containsExactly(e.longData(op));
            return;
        }
        float[] a = g.floatData(op);
        float[] b = e.floatData(op);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < b.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        assertThat(diff).as(op + " max abs diff").isLessThanOrEqualTo(1e-6 * Math.max(ref, 1e-30));
    }

    @Test
    void transposeWithAndWithoutPerm() throws Exception {
        check(17, "Transpose", feeds("x", randn(2, 3, 4)), List.of("x"), ints("perm", 2, 0, 1));
        check(17, "Transpose", feeds("x", randn(2, 3, 4)), List.of("x"));
    }

    @Test
    void reshapeCopiesZerosAndInfersMinusOne() throws Exception {
        check(17, "Reshape", feeds("x", randn(2, 3, 4), "s", longs(new long[] {0, -1}, 2)), List.of("x", "s"));
        check(17, "Reshape", feeds("x", randn(2, 3, 4), "s", longs(new long[] {4, 0, 2}, 3)), List.of("x", "s"));
    }

    @Test
    void sliceWithNegativeBoundsAndSteps() throws Exception {
        Value x = randn(2, 5, 3);
        check(17, "Slice", feeds("x", x, "starts", longs(new long[] {-1}, 1), "ends", longs(new long[] {-100}, 1),
                "axes", longs(new long[] {1}, 1), "steps", longs(new long[] {-2}, 1)),
                List.of("x", "starts", "ends", "axes", "steps"));
        check(17, "Slice", feeds("x", x, "starts", longs(new long[] {1, 0}, 2), "ends", longs(new long[] {99, -1}, 2),
                "axes", longs(new long[] {1, -1}, 2), "steps", longs(new long[] {2, 1}, 2)),
                List.of("x", "starts", "ends", "axes", "steps"));
        check(17, "Slice", feeds("x", x, "starts", longs(new long[] {1}, 1), "ends", longs(new long[] {2}, 1)),
                List.of("x", "starts", "ends"));
    }

    @Test
    void concatAlongAMiddleAxis() throws Exception {
        check(17, "Concat", feeds("a", randn(2, 1, 3), "b", randn(2, 2, 3), "c", randn(2, 3, 3)),
                List.of("a", "b", "c"), integer("axis", -2));
    }

    @Test
    void gatherWithNegativeIndicesOnAnInnerAxis() throws Exception {
        check(17, "Gather", feeds("x", randn(2, 3, 4), "i", longs(new long[] {0, -1, 2, 1}, 2, 2)), List.of("x", "i"),
                integer("axis", 1));
        check(17, "Gather", feeds("x", randn(5, 3), "i", longs(new long[] {4, 0, 4}, 3)), List.of("x", "i"));
    }

    @Test
    void squeezeAndUnsqueezeWithAxesAsInputsAndAsAttributes() throws Exception {
        check(17, "Squeeze", feeds("x", randn(2, 1, 3, 1), "axes", longs(new long[] {-1}, 1)), List.of("x", "axes"));
        check(17, "Squeeze", feeds("x", randn(2, 1, 3, 1)), List.of("x"));
        check(11, "Squeeze", feeds("x", randn(1, 3, 1)), List.of("x"), ints("axes", 0));
        check(17, "Unsqueeze", feeds("x", randn(2, 3), "axes", longs(new long[] {0, -1}, 2)), List.of("x", "axes"));
        check(11, "Unsqueeze", feeds("x", randn(2, 3)), List.of("x"), ints("axes", 1));
    }

    @Test
    void broadcastingArithmetic() throws Exception {
        for (String op : List.of("Add", "Sub", "Mul", "Div")) {
            check(17, op, feeds("a", randn(2, 3, 1), "b", randn(4)), List.of("a", "b"));
        }
        checkOutputs(17, "Add", feeds("a", longs(new long[] {1, 2, 3}, 3), "b", longs(new long[] {10}, 1)),
                List.of("a", "b"), List.of("y"));
        Value positive = Value.floats(new float[] {0.5f, 1.5f, 2f, 3f}, 2, 2);
        check(17, "Pow", feeds("a", positive, "b", Value.floats(new float[] {2f, 0.5f}, 2)), List.of("a", "b"));
        check(17, "Pow", feeds("a", positive, "b", longs(new long[] {3}, 1)), List.of("a", "b"));
    }

    @Test
    void elementwiseFunctions() throws Exception {
        Value positive = Value.floats(new float[] {0.25f, 1f, 4f, 9f, 0.01f, 2f}, 2, 3);
        check(17, "Sqrt", feeds("x", positive), List.of("x"));
        check(17, "Reciprocal", feeds("x", positive), List.of("x"));
        for (String op : List.of("Neg", "Exp", "Tanh", "Sigmoid", "Relu", "Identity")) {
            check(17, op, feeds("x", randn(3, 4)), List.of("x"));
        }
    }

    @Test
    void reduceMeanWithAxesAsAttributeAndAsInput() throws Exception {
        check(17, "ReduceMean", feeds("x", randn(2, 3, 4)), List.of("x"), ints("axes", 0, -1), integer("keepdims", 0));
        check(17, "ReduceMean", feeds("x", randn(2, 3, 4)), List.of("x"));
        check(18, "ReduceMean", feeds("x", randn(2, 3, 4), "axes", longs(new long[] {1}, 1)), List.of("x", "axes"));
    }

    @Test
    void matmulBroadcastsBatchesAndPromotesVectors() throws Exception {
        check(17, "MatMul", feeds("a", randn(2, 1, 3, 4), "b", randn(5, 4, 2)), List.of("a", "b"));
        check(17, "MatMul", feeds("a", randn(4), "b", randn(3, 4, 2)), List.of("a", "b"));
        check(17, "MatMul", feeds("a", randn(3, 4), "b", randn(4)), List.of("a", "b"));
    }

    @Test
    void gemmWithTransposesAndScaledBias() throws Exception {
        check(17, "Gemm", feeds("a", randn(4, 3), "b", randn(5, 4), "c", randn(1, 5)), List.of("a", "b", "c"),
                integer("transA", 1), integer("transB", 1), real("alpha", 0.5f), real("beta", 2f));
        check(17, "Gemm", feeds("a", randn(3, 4), "b", randn(4, 5)), List.of("a", "b"));
    }

    @Test
    void constantAndCast() throws Exception {
        checkOutputs(17, "Constant", feeds(), List.of(), List.of(), tensor("value", randn(2, 3)));
        checkOutputs(17, "Constant", feeds(), List.of(), List.of(), floats("value_floats", 1f, -2f));
        checkOutputs(17, "Cast", feeds("x", Value.floats(new float[] {1.7f, -2.2f, 3f}, 3)), List.of("x"),
                List.of("y"), integer("to", 7));
        checkOutputs(17, "Cast", feeds("x", longs(new long[] {4, -5}, 2)), List.of("x"), List.of(),
                integer("to", 1));
    }
}
