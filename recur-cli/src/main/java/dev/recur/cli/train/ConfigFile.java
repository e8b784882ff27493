package dev.recur.cli.train;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a training configuration file, JSON ({@code .json}) or YAML ({@code .yaml}, {@code .yml}) by its
 * extension, into flat dotted keys: {@code {"params": {"n": 5}}} becomes {@code params.n}. The top level must be
 * a mapping; values are scalars or lists of scalars. Reading is bounded (file size, nesting, string and number
 * lengths, YAML aliases) and untyped: Jackson builds a plain tree, never objects named by the document.
 */
public final class ConfigFile {
    /** The largest configuration file read, in bytes. */
    public static final long MAX_BYTES = 1 << 20;
    private static final int MAX_DEPTH = 16;

    private ConfigFile() {}

    /** The file's keys, flattened, in document order; every value is a scalar or array {@link JsonNode}. */
    public static Map<String, JsonNode> read(Path file) throws IOException {
        return flatten(file.toString(), readTree(file));
    }

    /** The file's document as a tree (null for an empty document), read within the same bounds. */
    public static JsonNode readTree(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new RecurException(file + ": expected a configuration file of at most " + MAX_BYTES + " bytes, got "
                    + Files.size(file));
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return mapperFor(file).readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr();
            throw new RecurException(file + where + ": not valid " + format(file) + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The keys of a parsed document, flattened as {@link #read} does; {@code where} names it in errors. */
    public static Map<String, JsonNode> flatten(String where, JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!root.isObject()) {
            throw new RecurException(where + ": expected a mapping of keys to values at the top, got a "
                    + root.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        Map<String, JsonNode> flat = new LinkedHashMap<>();
        flatten(where, "", root, flat);
        return flat;
    }

    private static void flatten(String file, String prefix, JsonNode node, Map<String, JsonNode> out) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String key = prefix + e.getKey();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                flatten(file, key + ".", v, out);
            } else {
                if (v.isArray()) {
                    for (JsonNode item : v) {
                        if (item.isContainerNode()) {
                            throw new RecurException(file + ": key '" + key + "': expected a list of plain values, "
                                    + "got a nested " + item.getNodeType().toString().toLowerCase(Locale.ROOT));
                        }
                    }
                }
                out.put(key, v);
            }
        }
    }

    private static String format(Path file) {
        return isYaml(file) ? "YAML" : "JSON";
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static ObjectMapper mapperFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        StreamReadConstraints limits = StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                .maxDocumentLength(MAX_BYTES).maxStringLength(64 * 1024).maxNumberLength(64).maxNameLength(256)
                .build();
        JsonFactory factory;
        if (isYaml(file)) {
            LoaderOptions loader = new LoaderOptions();
            loader.setMaxAliasesForCollections(8);
            loader.setAllowDuplicateKeys(false);
            loader.setNestingDepthLimit(MAX_DEPTH);
            loader.setCodePointLimit((int) MAX_BYTES);
            factory = YAMLFactory.builder().loaderOptions(loader).streamReadConstraints(limits)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        } else if (name.endsWith(".json")) {
            factory = JsonFactory.builder().streamReadConstraints(limits)
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        } else {
            throw new RecurException(file + ": expected a configuration file ending in .json, .yaml or .yml");
        }
        return new ObjectMapper(factory);
    }
}
