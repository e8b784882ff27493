package dev.recur.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.recur.cli.inspect.ModelFolder;
import dev.recur.cli.inspect.TensorTable;
import dev.recur.core.RecurException;
import dev.recur.core.io.SafetensorsFile;
import dev.recur.core.io.TensorFile;
import dev.recur.core.io.TensorFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code recur inspect PATH}: describes a safetensors or torch.save file (metadata, a table of tensors, totals) or
 * a model folder ({@code config.json}, then the tensors of {@code model.safetensors}, of the shards listed in
 * {@code model.safetensors.index.json}, or of {@code pytorch_model.bin} or {@code model.pt}). Every file is fully
 * validated on the way.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Describe a safetensors or torch.save file, or a model folder: metadata, tensors (name, "
                + "dtype, shape, bytes) and totals.")
final class InspectCommand implements Callable<Integer> {
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";
    /** Single torch.save weight files a folder may hold instead, in the order looked for. */
    static final String[] TORCH_WEIGHTS = {"pytorch_model.bin", "model.pt"};

    @Parameters(paramLabel = "PATH", description = "A .safetensors or torch.save .pt file, or a model folder.")
    Path path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString());
        }
        if (Files.isDirectory(path)) {
            inspectFolder(out);
        } else {
            TensorTable table = new TensorTable();
            try (TensorFile file = TensorFiles.open(path)) {
                table.print(file, out);
            }
            table.printTotals(out);
        }
        out.flush();
        return 0;
    }

    private void inspectFolder(PrintWriter out) throws IOException {
        Path config = path.resolve(CONFIG);
        Path weights = path.resolve(WEIGHTS);
        Path index = path.resolve(INDEX);
        boolean hasIndex = Files.isRegularFile(index);
        for (int i = 0; i < TORCH_WEIGHTS.length && !hasIndex && !Files.isRegularFile(weights); i++) {
            if (Files.isRegularFile(path.resolve(TORCH_WEIGHTS[i]))) {
                weights = path.resolve(TORCH_WEIGHTS[i]);
            }
        }
        boolean hasWeights = Files.isRegularFile(weights);
        if (!hasWeights && !hasIndex) {
            throw new RecurException(path + ": expected a model folder with " + WEIGHTS + " or " + INDEX
                    + " (or " + String.join(", ", TORCH_WEIGHTS) + "), got none of them");
        }
        // Read everything before printing, so that a bad file gives an error and no half-printed report.
        String configText = Files.isRegularFile(config) ? ModelFolder.pretty(ModelFolder.readJson(config)) : null;
        out.println("folder: " + path);
        if (configText != null) {
            out.println(CONFIG + ":");
            out.println(configText);
        } else {
            out.println(CONFIG + ": absent");
        }
        TensorTable table = new TensorTable();
        if (hasWeights) {
            try (TensorFile file = TensorFiles.open(weights)) {
                table.print(file, out);
            }
        } else {
            printShards(index, table, out);
        }
        table.printTotals(out);
    }

    private void printShards(Path index, TensorTable table, PrintWriter out) throws IOException {
        Map<String, String> weightMap = ModelFolder.readIndex(index);
        Map<String, TreeSet<String>> byShard = new TreeMap<>();
        weightMap.forEach((tensor, shard) -> byShard.computeIfAbsent(shard, s -> new TreeSet<>()).add(tensor));
        out.println("index: " + INDEX + " (" + weightMap.size() + " tensors in " + byShard.size() + " shards)");
        Map<String, String> seen = new TreeMap<>();
        for (Map.Entry<String, TreeSet<String>> e : byShard.entrySet()) {
            Path shardPath = path.resolve(e.getKey());
            if (!Files.isRegularFile(shardPath)) {
                throw new RecurException(index + ": lists shard " + e.getKey() + ", which is not a file in " + path);
            }
            try (SafetensorsFile shard = SafetensorsFile.open(shardPath)) {
                for (String tensor : e.getValue()) {
                    if (!shard.contains(tensor)) {
                        throw new RecurException(index + ": maps tensor \"" + tensor + "\" to " + e.getKey()
                                + ", which has no such tensor");
                    }
                }
                for (String tensor : shard.names()) {
                    String other = seen.put(tensor, e.getKey());
                    if (other != null) {
                        throw new RecurException(shardPath + ": tensor \"" + tensor + "\" is also in shard " + other);
                    }
                }
                table.print(shard, out);
            }
        }
    }
}
