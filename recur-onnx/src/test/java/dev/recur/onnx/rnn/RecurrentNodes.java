package dev.recur.onnx.rnn;

import static dev.recur.onnx.SingleNodeModels.integer;
import static dev.recur.onnx.SingleNodeModels.model;
import static org.assertj.core.api.Assertions.assertThat;

import dev.recur.core.random.Rng;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.OrtRunner;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.AttributeProto;
import dev.recur.onnx.proto.ModelProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Single recurrent nodes for the import tests: random feeds, the one-node model, and the comparison of Recur's run
 * with ONNX Runtime's by relative error (largest difference over largest reference magnitude, per output).
 */
final class RecurrentNodes {
    static final Path FILE = Path.of("model.onnx");
    static final int I = 3;
    static final int H = 5;

    private final Rng rng;
    final int steps;
    final int batch;

    RecurrentNodes(long seed, int steps, int batch) {
        this.rng = new Rng(seed);
        this.steps = steps;
        this.batch = batch;
    }

    Value randn(int... shape) {
        float[] d = new float[Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (0.5 * rng.nextGaussian());
        }
        return Value.floats(d, shape);
    }

    /** Feeds for an {@code op} node: X, W, R and B, in the operator's input order. */
    Map<String, Value> feeds(RnnOperator op, int dirs, boolean batchMajor) {
        Map<String, Value> f = new LinkedHashMap<>();
        int g = op.gates();
        f.put("X", batchMajor ? randn(batch, steps, I) : randn(steps, batch, I));
        f.put("W", randn(dirs, g * H, I));
        f.put("R", randn(dirs, g * H, H));
        f.put("B", randn(dirs, 2 * g * H));
        return f;
    }

    /** A node named {@code rec1} with {@code hidden_size} H, all outputs, reading {@code inputs}. */
    static ModelProto node(RnnOperator op, Map<String, Value> feeds, List<String> inputs,
                           AttributeProto... attributes) {
        List<String> outputs = op == RnnOperator.LSTM ? List.of("Y", "Y_h", "Y_c") : List.of("Y", "Y_h");
        List<AttributeProto> all = new ArrayList<>(List.of(integer("hidden_size", H)));
        all.addAll(List.of(attributes));
        return model(14, op.name(), "rec1", feeds, inputs, outputs, List.of(), all.toArray(new AttributeProto[0]));
    }

    /** Every output of Recur's run of {@code m} within {@code 1e-5} relative of ONNX Runtime's; returns Recur's. */
    static Map<String, Value> assertMatchesOrt(ModelProto m, Map<String, Value> feeds) throws Exception {
        Map<String, Value> expected = OrtRunner.run(m, feeds);
        Map<String, Value> got = OnnxModel.of(m, FILE).run(feeds);
        assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
        for (String name : expected.keySet()) {
            Value e = expected.get(name);
            Value a = got.get(name);
            assertThat(a.shape()).as(name).containsExactly(e.shape());
            double diff = 0;
            double ref = 0;
            for (int i = 0; i < e.size(); i++) {
                diff = Math.max(diff, Math.abs(a.floatData(name)[i] - e.floatData(name)[i]));
                ref = Math.max(ref, Math.abs(e.floatData(name)[i]));
            }
            assertThat(ref).as(name).isGreaterThan(0);
            assertThat(diff / ref).as(name + " relative error").isLessThanOrEqualTo(1e-5);
        }
        return got;
    }

    static Value transpose(Value v, int... perm) {
        return dev.recur.onnx.graph.ShapeOps.permute(null, v, perm);
    }
}
