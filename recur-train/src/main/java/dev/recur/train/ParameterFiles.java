package dev.recur.train;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Saves {@link Parameters} as a safetensors file (float32, by name) and loads such a file back into them. */
public final class ParameterFiles {
    private ParameterFiles() {}

    /** Writes every parameter under its name. */
    public static void write(Parameters params, Path file) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "recur-parameters");
        for (NamedParameter p : params) {
            w.add(p.name(), p.value());
        }
        w.write(file);
    }

    /**
     * Copies the file's tensors into {@code params}, which must have exactly the same names and shapes;
     * otherwise nothing is changed and the error names the file and the tensor.
     */
    public static void load(Parameters params, Path file) throws IOException {
        Map<String, Tensor> saved = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                saved.put(name, f.readFloat(name));
            }
        }
        assign(params, saved, file.toString());
    }

    /**
     * Copies {@code saved} (e.g. a checkpoint's model tensors) into {@code params}: the same names and shapes, or
     * nothing is changed and the error names {@code where} and the tensor.
     */
    public static void assign(Parameters params, Map<String, Tensor> saved, String where) {
        Set<String> names = new HashSet<>(saved.keySet());
        for (NamedParameter p : params) {
            Tensor t = saved.get(p.name());
            if (t == null || !names.remove(p.name())) {
                throw new RecurException(where + ": expected a tensor '" + p.name() + "', got none");
            }
            Shapes.require(where, "tensor '" + p.name() + "'", p.value().shape(), t.shape());
        }
        if (!names.isEmpty()) {
            throw new RecurException(where + ": expected only the model's tensors, got also " + names);
        }
        for (NamedParameter p : params) {
            Tensor t = saved.get(p.name());
            System.arraycopy(t.data(), 0, p.value().data(), 0, t.size());
        }
    }
}
