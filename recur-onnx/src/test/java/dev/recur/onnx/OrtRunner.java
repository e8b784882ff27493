package dev.recur.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.recur.onnx.graph.Value;
import dev.recur.onnx.proto.ModelProto;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an ONNX model in ONNX Runtime (CPU) on {@link Value} inputs and returns its outputs as values; integer
 * inputs go in as the graph declares them (int32 or int64).
 */
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
                    long[] shape = Arrays.stream(v.shape()).asLongStream().toArray();
                    TensorInfo declared = (TensorInfo) session.getInputInfo().get(e.getKey()).getInfo();
                    if (v.isFloat()) {
                        inputs.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(v.floatData("")), shape));
                    } else if (declared.type == OnnxJavaType.INT32) {
                        int[] narrow = Arrays.stream(v.longData("")).mapToInt(Math::toIntExact).toArray();
                        inputs.put(e.getKey(), OnnxTensor.createTensor(env, IntBuffer.wrap(narrow), shape));
                    } else {
                        inputs.put(e.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(v.longData("")), shape));
                    }
                }
                Map<String, Value> out = new LinkedHashMap<>();
                try (OrtSession.Result result = session.run(inputs)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        OnnxTensor t = (OnnxTensor) e.getValue();
                        long[] s = t.getInfo().getShape();
                        int[] shape = Arrays.stream(s).mapToInt(Math::toIntExact).toArray();
                        if (t.getInfo().type == OnnxJavaType.INT64) {
                            LongBuffer lb = t.getLongBuffer();
                            long[] data = new long[lb.remaining()];
                            lb.get(data);
                            out.put(e.getKey(), Value.longs(data, shape));
                        } else {
                            FloatBuffer fb = t.getFloatBuffer();
                            float[] data = new float[fb.remaining()];
                            fb.get(data);
                            out.put(e.getKey(), Value.floats(data, shape));
                        }
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
