package dev.recur.train.run;

import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rewrites a fine-tuned model's safetensors files in place with the trained values, keeping each file's tensor
 * names, dtypes and metadata ({@code "format": "pt"}, which transformers requires), so that the folder loads
 * wherever the input did. A stored tensor that is no parameter keeps its value, unless it was a copy of one (a
 * tied head stored twice): then it gets that parameter's trained value.
 */
final class WeightFiles {
    private WeightFiles() {}

    static void rewrite(Path dir, Map<String, Tensor> parameters) throws IOException {
        Map<String, Map<String, Object>> files = new LinkedHashMap<>();
        Map<String, Map<String, String>> metadata = new LinkedHashMap<>();
        Map<String, float[]> original = new LinkedHashMap<>();
        for (String file : InitFolder.weightFiles(dir)) {
            Map<String, Object> tensors = new LinkedHashMap<>();
            try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(file))) {
                metadata.put(file, f.metadata());
                for (String name : f.names()) {
                    DType dtype = f.info(name).dtype();
                    if (dtype.isFloating()) {
                        Tensor t = f.readFloat(name);
                        original.put(name, t.data());
                        tensors.put(name, t);
                    } else {
                        tensors.put(name, f.readInt(name));
                    }
                }
            }
            files.put(file, tensors);
        }
        for (Map.Entry<String, Map<String, Object>> e : files.entrySet()) {
            SafetensorsWriter w = new SafetensorsWriter();
            metadata.get(e.getKey()).forEach(w::metadata);
            try (SafetensorsFile f = SafetensorsFile.open(dir.resolve(e.getKey()))) {
                for (Map.Entry<String, Object> t : e.getValue().entrySet()) {
                    DType dtype = f.info(t.getKey()).dtype();
                    if (t.getValue() instanceof IntTensor ids) {
                        w.add(t.getKey(), ids, dtype);
                    } else {
                        w.add(t.getKey(), trained(t.getKey(), (Tensor) t.getValue(), parameters, original), dtype);
                    }
                }
            }
            w.write(dir.resolve(e.getKey()));
        }
    }

    private static Tensor trained(String name, Tensor stored, Map<String, Tensor> parameters,
                                  Map<String, float[]> original) {
        Tensor p = parameters.get(name);
        if (p != null) {
            return p;
        }
        for (Map.Entry<String, Tensor> q : parameters.entrySet()) {
            float[] o = original.get(q.getKey());
            if (o != null && Arrays.equals(q.getValue().shape(), stored.shape()) && Arrays.equals(o, stored.data())) {
                return q.getValue();
            }
        }
        return stored;
    }
}
