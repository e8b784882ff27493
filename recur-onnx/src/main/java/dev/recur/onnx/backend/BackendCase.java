package dev.recur.onnx.backend;

import dev.recur.core.RecurException;
import dev.recur.onnx.OnnxModel;
import dev.recur.onnx.graph.GraphInput;
import dev.recur.onnx.graph.TensorProtos;
import dev.recur.onnx.graph.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder in the layout of ONNX's backend node tests ({@code onnx/backend/test/data/node/test_*}):
 * {@code model.onnx} and one or more {@code test_data_set_N} folders of {@code input_K.pb} and
 * {@code output_K.pb}, each a serialized {@code TensorProto}. Input {@code K} feeds the graph's {@code K}-th
 * input and output {@code K} is compared with its {@code K}-th output, whatever names the files carry.
 */
public final class BackendCase {
    /** The value Recur computed for an output beside the expected one. */
    public record Comparison(String name, Value actual, Value expected) {}

    private static final Pattern INPUT = Pattern.compile("input_(\\d+)\\.pb");
    private static final Pattern OUTPUT = Pattern.compile("output_(\\d+)\\.pb");

    private final Path dir;
    private final OnnxModel model;
    private final List<Path> dataSets;

    private BackendCase(Path dir, OnnxModel model, List<Path> dataSets) {
        this.dir = dir;
        this.model = model;
        this.dataSets = dataSets;
    }

    /** Whether {@code dir} looks like a backend test folder: a {@code model.onnx} file. */
    public static boolean matches(Path dir) {
        return Files.isRegularFile(dir.resolve("model.onnx"));
    }

    /** Loads the model (refusing what Recur does not compute) and lists the data sets. */
    public static BackendCase load(Path dir) throws IOException {
        Path modelFile = dir.resolve("model.onnx");
        if (!Files.isRegularFile(modelFile)) {
            throw new NoSuchFileException(modelFile.toString());
        }
        List<Path> sets;
        try (Stream<Path> s = Files.list(dir)) {
            sets = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        if (sets.isEmpty()) {
            throw new RecurException(dir + ": expected test_data_set_* folders beside model.onnx, found none");
        }
        return new BackendCase(dir, OnnxModel.load(modelFile), sets);
    }

    public OnnxModel model() {
        return model;
    }

    /** The data set folders, sorted. */
    public List<Path> dataSets() {
        return dataSets;
    }

    /** Runs every data set; output names carry the set's folder name when there is more than one set. */
    public List<Comparison> run() throws IOException {
        List<Comparison> all = new ArrayList<>();
        for (Path set : dataSets) {
            Map<Integer, Path> inputs = numbered(set, INPUT);
            Map<Integer, Path> outputs = numbered(set, OUTPUT);
            List<GraphInput> graphInputs = model.inputs();
            if (inputs.size() > graphInputs.size()) {
                throw new RecurException(set + ": " + inputs.size() + " input files for a graph of "
                        + graphInputs.size() + " inputs");
            }
            Map<String, Value> feeds = new LinkedHashMap<>();
            for (Map.Entry<Integer, Path> e : inputs.entrySet()) {
                feeds.put(graphInputs.get(e.getKey()).name(), TensorProtos.read(TensorProtos.readFile(e.getValue()),
                        e.getValue().toString()));
            }
            if (outputs.isEmpty() || outputs.size() > model.outputs().size()) {
                throw new RecurException(set + ": " + outputs.size() + " output files for a graph of "
                        + model.outputs().size() + " outputs");
            }
            Map<String, Value> got = model.run(feeds);
            for (Map.Entry<Integer, Path> e : outputs.entrySet()) {
                String name = model.outputs().get(e.getKey());
                Value expected = TensorProtos.read(TensorProtos.readFile(e.getValue()), e.getValue().toString());
                Value actual = got.get(name);
                if (!Arrays.equals(actual.shape(), expected.shape())) {
                    throw new RecurException(e.getValue() + ": output '" + name + "' expected " + expected.describe()
                            + ", Recur computed " + actual.describe());
                }
                all.add(new Comparison(dataSets.size() == 1 ? name : set.getFileName() + "/" + name, actual, expected));
            }
        }
        return all;
    }

    /** {@code input_K.pb} (or output) files by K, which must run 0, 1, 2, ... without gaps. */
    private static Map<Integer, Path> numbered(Path set, Pattern pattern) throws IOException {
        Map<Integer, Path> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(set)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher m = pattern.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.put(Integer.parseInt(m.group(1)), p);
                }
            }
        }
        int expect = 0;
        for (int k : files.keySet()) {
            if (k != expect) {
                String kind = pattern == INPUT ? "input_" : "output_";
                throw new RecurException(set + ": " + kind + expect + ".pb is missing (files must be numbered "
                        + "from 0 without gaps)");
            }
            expect++;
        }
        return files;
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
