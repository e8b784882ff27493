package dev.recur.cli.inspect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.recur.core.RecurException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON files of a model folder: {@code config.json} and {@code model.safetensors.index.json}, read with a
 * strict, size-capped Jackson mapper (duplicate keys rejected, no default typing, no trailing tokens).
 */
public final class ModelFolder {
    /** Largest JSON file read, in bytes; real configs and indexes are far smaller. */
    static final long MAX_JSON_BYTES = 64L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(100)
                .maxStringLength(1 << 20)
                .maxNumberLength(100)
                .maxNameLength(1 << 16)
                .maxDocumentLength(MAX_JSON_BYTES)
                .build());
    }

    private ModelFolder() {}

    /** Reads a JSON file into a tree; a {@link RecurException} naming the file when it is too big or invalid. */
    public static JsonNode readJson(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_JSON_BYTES) {
            throw new RecurException(file + ": expected a JSON file of at most " + MAX_JSON_BYTES + " bytes, got "
                    + size);
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new RecurException(file + ": expected a JSON value, got an empty file");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new RecurException(file + ": invalid JSON" + where + ": "
                    + Printable.of(e.getOriginalMessage()), e);
        }
    }

    /** Pretty-prints a JSON tree, two-space indented. */
    public static String pretty(JsonNode node) throws IOException {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    }

    /**
     * Reads {@code model.safetensors.index.json}: tensor name to shard file name, sorted by tensor name. Every
     * shard must be a plain file name in the same folder.
     */
    public static Map<String, String> readIndex(Path index) throws IOException {
        JsonNode root = readJson(index);
        JsonNode map = root.get("weight_map");
        if (!root.isObject() || map == null || !map.isObject()) {
            throw new RecurException(index + ": expected an object with a \"weight_map\" object, got "
                    + (root.isObject() ? (map == null ? "no weight_map" : "a weight_map of type "
                    + map.getNodeType()) : "a " + root.getNodeType()));
        }
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new RecurException(index + ": weight_map \"" + Printable.of(e.getKey())
                        + "\": expected a shard file name, got " + e.getValue().getNodeType());
            }
            String shard = e.getValue().asText();
            checkShardName(index, shard);
            out.put(e.getKey(), shard);
        }
        if (out.isEmpty()) {
            throw new RecurException(index + ": expected at least one entry in weight_map, got none");
        }
        return out;
    }

    /** Refuses shard names that would leave the folder: separators, "..", absolute paths, NUL. */
    private static void checkShardName(Path index, String shard) {
        boolean plain = !shard.isEmpty() && !shard.equals(".") && !shard.equals("..")
                && shard.indexOf('/') < 0 && shard.indexOf('\\') < 0 && shard.indexOf('\0') < 0
                && shard.indexOf(':') < 0;
        if (!plain) {
            throw new RecurException(index + ": expected shard names to be plain file names in the model folder, got \""
                    + Printable.of(shard) + "\"");
        }
    }
}
