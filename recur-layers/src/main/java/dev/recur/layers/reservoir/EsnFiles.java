package dev.recur.layers.reservoir;

import dev.recur.core.RecurException;
import dev.recur.core.io.AtomicFiles;
import dev.recur.core.io.DType;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.SafetensorsWriter;
import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import dev.recur.core.tensor.IntTensor;
import dev.recur.core.tensor.Tensor;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The on-disk form of an {@link EchoStateNetwork}: a folder with {@code esn.json} (format name and version,
 * then every {@link EsnConfig} field in snake case and whether a readout is present) and {@code esn.safetensors}
 * holding {@code input_weight [N, 1+I]} F32, the reservoir matrix in CSR form ({@code reservoir.indptr [N+1]} I32,
 * {@code reservoir.indices [nnz]} I32, {@code reservoir.values [nnz]} F32) and, when fitted,
 * {@code readout [O, 1+I+N]} F32. Floats are stored exactly, so a loaded network predicts bit-identically. Each
 * file is written beside its final name and then moved over it.
 */
final class EsnFiles {
    static final String CONFIG_FILE = "esn.json";
    static final String WEIGHTS_FILE = "esn.safetensors";
    private static final String FORMAT = "recur-esn";
    private static final int VERSION = 1;
    private static final Set<String> KEYS = Set.of("format", "version", "input_size", "reservoir_size",
            "output_size", "density", "spectral_radius", "leak_rate", "input_scaling", "bias_scaling", "seed",
            "fitted");

    private EsnFiles() {}

    static void save(EchoStateNetwork esn, Path dir) throws IOException {
        if (dir == null) {
            throw new RecurException("EchoStateNetwork.save: a folder is required");
        }
        Files.createDirectories(dir);
        EsnConfig c = esn.config();
        String json = "{\"format\":\"" + FORMAT + "\",\"version\":" + VERSION
                + ",\"input_size\":" + c.inputSize() + ",\"reservoir_size\":" + c.reservoirSize()
                + ",\"output_size\":" + c.outputSize() + ",\"density\":" + c.density()
                + ",\"spectral_radius\":" + c.spectralRadius() + ",\"leak_rate\":" + c.leakRate()
                + ",\"input_scaling\":" + c.inputScaling() + ",\"bias_scaling\":" + c.biasScaling()
                + ",\"seed\":" + c.seed() + ",\"fitted\":" + esn.isFitted() + "}\n";
        Reservoir r = esn.reservoir();
        SparseMatrix w = r.weight();
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", FORMAT);
        writer.add("input_weight", Tensor.of(r.inputWeight(), r.size(), 1 + r.inputSize()));
        writer.add("reservoir.indptr", IntTensor.of(w.indptr(), r.size() + 1), DType.I32);
        writer.add("reservoir.indices", IntTensor.of(w.indices(), w.nonZeros()), DType.I32);
        writer.add("reservoir.values", Tensor.of(w.values(), w.nonZeros()));
        if (esn.isFitted()) {
            writer.add("readout", esn.readout());
        }
        writer.write(dir.resolve(WEIGHTS_FILE));
        AtomicFiles.write(dir.resolve(CONFIG_FILE), json.getBytes(StandardCharsets.UTF_8));
    }

    static EchoStateNetwork load(Path dir) throws IOException {
        if (dir == null) {
            throw new RecurException("EchoStateNetwork.load: a folder is required");
        }
        Path jsonPath = dir.resolve(CONFIG_FILE);
        Map<String, Object> json = parseObject(jsonPath);
        for (String key : json.keySet()) {
            if (!KEYS.contains(key)) {
                throw new RecurException(jsonPath + ": unexpected field '" + key + "'; expected " + KEYS);
            }
        }
        if (!FORMAT.equals(json.get("format")) || number(jsonPath, json, "version").intValue() != VERSION) {
            throw new RecurException(jsonPath + ": expected format '" + FORMAT + "' version " + VERSION + ", got '"
                    + json.get("format") + "' version " + json.get("version"));
        }
        EsnConfig config;
        try {
            config = new EsnConfig(integer(jsonPath, json, "input_size"), integer(jsonPath, json, "reservoir_size"),
                    integer(jsonPath, json, "output_size"), number(jsonPath, json, "density").doubleValue(),
                    number(jsonPath, json, "spectral_radius").doubleValue(),
                    number(jsonPath, json, "leak_rate").doubleValue(),
                    number(jsonPath, json, "input_scaling").doubleValue(),
                    number(jsonPath, json, "bias_scaling").doubleValue(),
                    number(jsonPath, json, "seed").longValueExact());
        } catch (ArithmeticException e) {
            throw new RecurException(jsonPath + ": a size or the seed is not an integer in range");
        } catch (RecurException e) {
            throw new RecurException(jsonPath + ": " + e.getMessage());
        }
        if (!(json.get("fitted") instanceof Boolean)) {
            throw new RecurException(jsonPath + ": field 'fitted' must be true or false, got " + json.get("fitted"));
        }
        boolean fitted = (Boolean) json.get("fitted");
        int n = config.reservoirSize();
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS_FILE))) {
            float[] win = floats(file, "input_weight", n, 1 + config.inputSize());
            int[] indptr = ints(file, "reservoir.indptr", n + 1);
            int nnz = indptr[n];
            int[] indices = ints(file, "reservoir.indices", nnz);
            float[] values = floats(file, "reservoir.values", nnz);
            SparseMatrix w;
            try {
                w = new SparseMatrix(n, indptr, indices, values);
            } catch (RecurException e) {
                throw new RecurException(file.path() + ": " + e.getMessage());
            }
            float[] readout = null;
            if (fitted) {
                readout = floats(file, "readout", config.outputSize(), config.featureSize());
            } else if (file.contains("readout")) {
                throw new RecurException(file.path() + ": has a readout but " + jsonPath + " says fitted=false");
            }
            return new EchoStateNetwork(config, new Reservoir(config.inputSize(), config.leakRate(), win, w),
                    readout);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parseObject(Path path) throws IOException {
        Object parsed;
        try {
            parsed = JsonParser.parse(Files.readString(path, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new RecurException(path + ": invalid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new RecurException(path + ": expected a JSON object");
        }
        return (Map<String, Object>) parsed;
    }

    private static BigDecimal number(Path path, Map<String, Object> json, String key) {
        Object v = json.get(key);
        if (!(v instanceof JsonNumber)) {
            throw new RecurException(path + ": field '" + key + "' must be a number, got " + v);
        }
        return ((JsonNumber) v).toBigDecimal();
    }

    private static int integer(Path path, Map<String, Object> json, String key) {
        return number(path, json, key).intValueExact();
    }

    private static float[] floats(SafetensorsFile file, String name, int... shape) {
        requireShape(file, name, shape);
        return file.readFloat(name).data();
    }

    private static int[] ints(SafetensorsFile file, String name, int length) {
        requireShape(file, name, length);
        return file.readInt(name).data();
    }

    private static void requireShape(SafetensorsFile file, String name, int... shape) {
        if (!file.contains(name)) {
            throw new RecurException(file.path() + ": missing tensor '" + name + "' of shape "
                    + Arrays.toString(shape));
        }
        long[] got = file.info(name).shape();
        if (!Arrays.equals(Arrays.stream(shape).asLongStream().toArray(), got)) {
            throw new RecurException(file.path() + ": tensor '" + name + "' expected shape " + Arrays.toString(shape)
                    + ", got " + Arrays.toString(got));
        }
    }
}
