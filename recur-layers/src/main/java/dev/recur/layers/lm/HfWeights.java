package dev.recur.layers.lm;

import dev.recur.core.RecurException;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
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
 * The weights of an HF checkpoint folder: the first of {@link #LAYOUTS} that the folder holds, either one file
 * ({@code model.safetensors}, or a {@code torch.save} state dict: {@code pytorch_model.bin}, {@code model.pt})
 * or the shards an index ({@code model.safetensors.index.json}, {@code pytorch_model.bin.index.json}) lists.
 * Loading is strict: every tensor is taken by name with its expected shape, and {@link #requireAllTaken()}
 * reports any tensor the model did not use.
 */
public final class HfWeights implements AutoCloseable {
    /** The weight files looked for, in order (transformers' preference: safetensors first); an index ends in .json. */
    public static final List<String> LAYOUTS = List.of("model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json", "model.pt");

    private final Path dir;
    private final Map<String, TensorFile> fileOf = new TreeMap<>();
    private final List<TensorFile> files = new ArrayList<>();
    private final TreeSet<String> taken = new TreeSet<>();

    private HfWeights(Path dir) {
        this.dir = dir;
    }

    public static HfWeights open(Path dir) throws IOException {
        HfWeights w = new HfWeights(dir);
        try {
            Path found = layout(dir);
            if (found.getFileName().toString().endsWith(".json")) {
                w.openShards(found);
            } else {
                w.add(TensorFiles.open(found));
            }
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    /** The first of {@link #LAYOUTS} in {@code dir}: a weights file or an index of shards. */
    public static Path layout(Path dir) throws NoSuchFileException {
        for (String name : LAYOUTS) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        throw new NoSuchFileException(dir.resolve(LAYOUTS.get(0)) + " (nor " + String.join(", ",
                LAYOUTS.subList(1, LAYOUTS.size())) + ")");
    }

    /** The weight files of {@code dir}: its single weights file, or the shards its index lists, in index order. */
    public static List<String> files(Path dir) throws IOException {
        Path found = layout(dir);
        if (!found.getFileName().toString().endsWith(".json")) {
            return List.of(found.getFileName().toString());
        }
        List<String> shards = new ArrayList<>();
        for (Object shard : weightMap(found).values()) {
            if (!shards.contains(String.valueOf(shard))) {
                shards.add(String.valueOf(shard));
            }
        }
        return shards;
    }

    private static Map<?, ?> weightMap(Path index) throws IOException {
        Object json = JsonParser.parse(Files.readString(index, StandardCharsets.UTF_8));
        if (!(json instanceof Map<?, ?> root) || !(root.get("weight_map") instanceof Map<?, ?> map)) {
            throw new RecurException(index + ": expected an object with a 'weight_map' object");
        }
        return map;
    }

    private void openShards(Path index) throws IOException {
        Map<?, ?> map = weightMap(index);
        Map<String, TensorFile> byShard = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String shard = String.valueOf(e.getValue());
            if (shard.contains("/") || shard.contains("\\") || shard.startsWith(".")) {
                throw new RecurException(index + ": shard name '" + shard + "' must be a plain file name");
            }
            if (!byShard.containsKey(shard)) {
                TensorFile f = TensorFiles.open(dir.resolve(shard));
                byShard.put(shard, f);
                files.add(f);
            }
            TensorFile f = byShard.get(shard);
            String name = String.valueOf(e.getKey());
            if (!f.contains(name)) {
                throw new RecurException(index + ": lists '" + name + "' in " + shard + ", which lacks it");
            }
            fileOf.put(name, f);
        }
    }

    private void add(TensorFile f) {
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
        TensorFile f = fileOf.get(name);
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
        for (TensorFile f : files) {
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
