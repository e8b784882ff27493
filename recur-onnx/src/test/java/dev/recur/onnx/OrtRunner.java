package dev.recur.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX model in ONNX Runtime (CPU) on {@link Value} inputs and returns its outputs as values. */
public final class OrtRunner {
    private OrtRunner() {}

    public static Map<String, Value> run(ModelProto model, Map<String, Value> feeds) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model.toByteArray(), options)) {
                for (Map.Entry<String, Value> e : feeds.entrySet()) {
                    Value v = e.getValue();
                    long[] shape = java.util.Arrays.stream(v.shape()).asLongStream().toArray();
                    inputs.put(e.getKey(), v.isFloat()
                            ? OnnxTensor.createTensor(env, FloatBuffer.wrap(v.floatData(e.getKey())), shape)
                            : OnnxTensor.createTensor(env, LongBuffer.wrap(v.longData(e.getKey())), shape));
                }
                Map<String, Value> out = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(inputs)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        long[] s = t.getInfo().getShape();
                        int[] shape = java.util.Arrays.stream(s).mapToInt(Math::toIntExact).toArray();
                        FloatBuffer fb = t.getFloatBuffer();
                        float[] data = new float[fb.remaining()];
                        fb.get(data);
                        out.put(e.getKey(), Value.floats(data, shape));
                    }
                }
                return out;
            } finally {
                for (OnnxTensor t : inputs.values()) {
                    t.close();
                }
            }
        }
    }
}
