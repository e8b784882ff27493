package dev.recur.layers.rnn;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.TensorFile;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * PyTorch {@code state_dict} loading and saving for a module's named parameters ({@link RnnLayer}, {@link RnnCell}):
 * every expected name present with its shape and no other name, checked before anything is copied, so a bad file
 * changes nothing. Errors name {@code label} (the module), the tensor, and both shapes.
 */
final class StateDict {
    private StateDict() {}

    /** Copies {@code tensors} into {@code params} after checking names and shapes. */
    static void load(String label, Map<String, Tensor> params, Map<String, Tensor> tensors) {
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(params.keySet());
        if (!unexpected.isEmpty()) {
            throw new RecurException(label + ": unexpected tensor '" + unexpected.iterator().next()
                    + "' in state dict; expected only " + params.keySet());
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor src = tensors.get(e.getKey());
            if (src == null) {
                throw new RecurException(label + ": missing tensor '" + e.getKey() + "' of shape "
                        + Shapes.format(e.getValue().shape()) + " in state dict");
            }
            Shapes.require(label, "state dict tensor '" + e.getKey() + "'", e.getValue().shape(), src.shape());
        }
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            float[] src = tensors.get(e.getKey()).data();
            System.arraycopy(src, 0, e.getValue().data(), 0, src.length);
        }
    }

    /** Reads and loads {@code params} from a tensor file, names and shapes checked before any tensor is read. */
    static void load(String label, Map<String, Tensor> params, TensorFile file) {
        Set<String> unexpected = new TreeSet<>(file.names());
        unexpected.removeAll(params.keySet());
        if (!unexpected.isEmpty()) {
            throw new RecurException(file.path() + ": unexpected tensor '" + unexpected.iterator().next()
                    + "' for " + label + "; expected only " + params.keySet());
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            String name = e.getKey();
            if (!file.contains(name)) {
                throw new RecurException(file.path() + ": missing tensor '" + name + "' of shape "
                        + Shapes.format(e.getValue().shape()) + " for " + label);
            }
            long[] got = file.info(name).shape();
            int[] want = e.getValue().shape();
            if (!Arrays.equals(Arrays.stream(want).asLongStream().toArray(), got)) {
                throw new RecurException(file.path() + ": tensor '" + name + "' for " + label + " expected shape "
                        + Shapes.format(want) + ", got " + Arrays.toString(got));
            }
            tensors.put(name, file.readFloat(name));
        }
        load(label, params, tensors);
    }

    /** Writes {@code params} under their names as F32 safetensors. */
    static void save(Map<String, Tensor> params, Path path) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            writer.add(e.getKey(), e.getValue());
        }
        writer.write(path);
    }
}
