package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.tensor.Shapes;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of an HF checkpoint folder: {@code model.safetensors}, or the shards that
 * {@code model.safetensors.index.json} lists. Loading is strict: every tensor is taken by name with its
 * expected shape, and {@link #requireAllTaken()} reports any tensor the model did not use.
 */
public final class HfWeights implements AutoCloseable {
    private final Path dir;
    private final Map<String, SafetensorsFile> fileOf = new TreeMap<>();
    private final List<SafetensorsFile> files = new ArrayList<>();
    private final TreeSet<String> taken = new TreeSet<>();

    private HfWeights(Path dir) {
        this.dir = dir;
    }

    public static HfWeights open(Path dir) throws IOException {
        HfWeights w = new HfWeights(dir);
        try {
            Path single = dir.resolve("model.safetensors");
            Path index = dir.resolve("model.safetensors.index.json");
            if (Files.isRegularFile(single)) {
                w.add(SafetensorsFile.open(single));
            } else if (Files.isRegularFile(index)) {
                w.openShards(index);
            } else {
                throw new NoSuchFileException(single + " (nor " + index.getFileName() + ")");
            }
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private void openShards(Path index) throws IOException {
        Object json = JsonParser.parse(Files.readString(index, StandardCharsets.UTF_8));
        if (!(json instanceof Map<?, ?> root) || !(root.get("weight_map") instanceof Map<?, ?> map)) {
            throw new RecurException(index + ": expected an object with a 'weight_map' object");
        }
        Map<String, SafetensorsFile> byShard = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String shard = String.valueOf(e.getValue());
            if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw new RecurException(index + ": shard name '" + shard + "' must be a plain file name");
            }
            if (!byShard.containsKey(shard)) {
                SafetensorsFile f = SafetensorsFile.open(dir.resolve(shard));
                byShard.put(shard, f);
                files.add(f);
            }
            SafetensorsFile f = byShard.get(shard);
            String name = String.valueOf(e.getKey());
            if (!f.contains(name)) {
                throw new RecurException(index + ": lists '" + name + "' in " + shard + ", which lacks it");
            }
            fileOf.put(name, f);
        }
    }

    private void add(SafetensorsFile f) {
        files.add(f);
        for (String name : f.names()) {
            fileOf.put(name, f);
        }
    }

    public boolean has(String name) {
        return fileOf.containsKey(name);
    }

    /** All tensor names, sorted. */
    public List<String> names() {
        return new ArrayList<>(fileOf.keySet());
    }

    /**
     * The tensor {@code name} as a float32 leaf that requires gradients, checked against {@code shape}; a
     * missing tensor or a wrong shape is an error naming the folder, the tensor, the expected and the got.
     */
    public Tensor take(String name, int... shape) {
        SafetensorsFile f = fileOf.get(name);
        if (f == null) {
            throw new RecurException(dir + ": checkpoint has no tensor '" + name + "'");
        }
        Tensor t = f.readFloat(name);
        Shapes.require("checkpoint " + dir.getFileName(), "tensor '" + name + "'", shape, t.shape());
        taken.add(name);
        return t.requiresGrad(true);
    }

    /** Marks a tensor as deliberately unused (a tied head stored twice, a buffer the model recomputes). */
    public void skip(String name) {
        taken.add(name);
    }

    /** Throws when the checkpoint holds tensors the model never took (a sign of a wrong architecture). */
    public void requireAllTaken() {
        List<String> left = new ArrayList<>();
        for (String name : fileOf.keySet()) {
            if (!taken.contains(name)) {
                left.add(name);
            }
        }
        if (!left.isEmpty()) {
            throw new RecurException(dir + ": checkpoint has tensors the model does not use: "
                    + (left.size() > 5 ? left.subList(0, 5) + " and " + (left.size() - 5) + " more" : left));
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
