package dev.recur.layers.tokenizer;

import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Builds a {@link Tokenizer} from the sections of a {@code tokenizer.json}, accepting only what it can reproduce
 * exactly: a BPE {@code model}, an NFC or null {@code normalizer}, a {@code pre_tokenizer} made of ByteLevel and
 * Split steps (one ByteLevel at least), a ByteLevel {@code decoder}, a ByteLevel or null {@code post_processor},
 * and no truncation or padding. Anything else fails naming the section.
 */
final class TokenizerJsonReader {
    private static final Set<String> TOP_LEVEL = Set.of("version", "truncation", "padding", "added_tokens",
            "normalizer", "pre_tokenizer", "post_processor", "decoder", "model");

    private final String where;
    private int byteLevelSteps;

    private TokenizerJsonReader(String where) {
        this.where = where;
    }

    static Tokenizer read(String json, String where) {
        Object parsed;
        try {
            parsed = JsonParser.parse(json);
        } catch (JsonException e) {
            throw new RecurException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        return new TokenizerJsonReader(where).tokenizer(JsonSection.of(where, "", parsed));
    }

    private Tokenizer tokenizer(JsonSection root) {
        for (Object key : root.fields().keySet()) {
            if (!TOP_LEVEL.contains(key)) {
                throw new RecurException(where + ": section '" + key + "' is not a tokenizer.json section this"
                        + " reader knows (expected one of " + String.join(", ", new java.util.TreeSet<>(TOP_LEVEL))
                        + ")");
            }
        }
        for (String unsupported : List.of("truncation", "padding")) {
            if (root.has(unsupported)) {
                throw root.error(unsupported, "is not supported: expected null, got "
                        + JsonSection.describe(root.raw(unsupported)));
            }
        }
        boolean nfc = normalizer(root);
        PreTokenizer pre = preTokenizer(root.section("pre_tokenizer"));
        if (byteLevelSteps == 0) {
            throw root.error("pre_tokenizer", "expected a ByteLevel step for a byte-level BPE, got none");
        }
        postProcessor(root);
        JsonSection decoder = root.section("decoder");
        if (!decoder.type().equals("ByteLevel")) {
            throw decoder.error("type '" + decoder.type() + "' is not supported (expected ByteLevel)");
        }
        BpeModel model = model(root.section("model"));
        List<AddedToken> added = root.has("added_tokens") ? addedTokens(root, model) : List.of();
        return new Tokenizer(where, model, added, nfc, pre);
    }

    private boolean normalizer(JsonSection root) {
        if (!root.has("normalizer")) {
            return false;
        }
        JsonSection n = root.section("normalizer");
        if (!n.type().equals("NFC")) {
            throw n.error("type '" + n.type() + "' is not supported (expected NFC or null)");
        }
        return true;
    }

    private void postProcessor(JsonSection root) {
        if (!root.has("post_processor")) {
            return;
        }
        JsonSection p = root.section("post_processor");
        // ByteLevel post-processing only trims offsets; it adds no token, so ids are unchanged.
        if (!p.type().equals("ByteLevel")) {
            throw p.error("type '" + p.type() + "' is not supported (expected ByteLevel or null)");
        }
    }

    private PreTokenizer preTokenizer(JsonSection s) {
        String type = s.type();
        switch (type) {
            case "ByteLevel":
                byteLevelSteps++;
                return new ByteLevelPreTokenizer(s.bool("add_prefix_space", true), s.bool("use_regex", true));
            case "Split":
                return split(s);
            case "Sequence": {
                List<?> steps = s.list("pretokenizers");
                List<PreTokenizer> parsed = new ArrayList<>();
                for (int i = 0; i < steps.size(); i++) {
                    parsed.add(preTokenizer(JsonSection.of(where, s.child("pretokenizers") + "[" + i + "]",
                            steps.get(i))));
                }
                return PreTokenizer.sequence(parsed);
            }
            default:
                throw s.error("type '" + type + "' is not supported (expected ByteLevel, Split or Sequence)");
        }
    }

    private PreTokenizer split(JsonSection s) {
        JsonSection pattern = s.section("pattern");
        Pattern compiled;
        if (pattern.has("Regex")) {
            String regex = pattern.string("Regex");
            try {
                compiled = Patterns.compile(regex);
            } catch (PatternSyntaxException e) {
                throw pattern.error("Regex", "is not a regular expression this reader can compile: "
                        + e.getDescription());
            }
        } else if (pattern.has("String")) {
            compiled = Pattern.compile(Pattern.quote(pattern.string("String")));
        } else {
            throw pattern.error("expected a 'Regex' or a 'String' field, got " + pattern.fields().keySet());
        }
        String behavior = s.string("behavior");
        SplitPreTokenizer.Behavior b;
        try {
            b = SplitPreTokenizer.Behavior.valueOf(behavior);
        } catch (IllegalArgumentException e) {
            throw s.error("behavior", "expected one of Removed, Isolated, MergedWithPrevious, MergedWithNext,"
                    + " Contiguous, got \"" + behavior + "\"");
        }
        return new SplitPreTokenizer(compiled, b, s.bool("invert", false));
    }

    private BpeModel model(JsonSection m) {
        String type = m.has("type") ? m.type() : "BPE";
        if (!type.equals("BPE")) {
            throw m.error("type '" + type + "' is not supported (expected BPE)");
        }
        if (m.has("dropout") && !(m.raw("dropout") instanceof JsonNumber d && d.toBigDecimal().signum() == 0)) {
            throw m.error("dropout", "is not supported: expected null or 0, got "
                    + JsonSection.describe(m.raw("dropout")));
        }
        for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
            if (!m.string(affix, "").isEmpty()) {
                throw m.error(affix, "is not supported: expected null or \"\", got \"" + m.string(affix) + "\"");
            }
        }
        if (m.bool("byte_fallback", false)) {
            throw m.error("byte_fallback", "is not supported: expected false, got true");
        }
        JsonSection vocabSection = m.section("vocab");
        Map<String, Integer> vocab = new HashMap<>();
        for (Map.Entry<?, ?> e : vocabSection.fields().entrySet()) {
            vocab.put((String) e.getKey(), vocabSection.toNonNegativeInt(e.getValue(),
                    vocabSection.child(String.valueOf(e.getKey()))));
        }
        List<?> mergeList = m.list("merges");
        List<String[]> merges = new ArrayList<>(mergeList.size());
        for (int i = 0; i < mergeList.size(); i++) {
            merges.add(mergeRule(mergeList.get(i), m.child("merges") + "[" + i + "]"));
        }
        return new BpeModel(vocab, merges, m.string("unk_token", null), m.bool("fuse_unk", false),
                m.bool("ignore_merges", false), where);
    }

    private String[] mergeRule(Object rule, String path) {
        if (rule instanceof String s) {
            String[] parts = s.split(" ", -1);
            if (parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty()) {
                return parts;
            }
        } else if (rule instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String a
                && l.get(1) instanceof String b && !a.isEmpty() && !b.isEmpty()) {
            return new String[] {a, b};
        }
        throw new RecurException(where + ": section '" + path + "' expected \"left right\" or [\"left\", \"right\"],"
                + " got " + JsonSection.describe(rule));
    }

    /**
     * The added tokens, checked against the ids the reference implementation gives them when it reads the file: a
     * token of the vocabulary keeps its vocabulary id, any other takes the next id after the vocabulary's entries;
     * a file that says otherwise would be encoded differently there, so it is rejected.
     */
    private List<AddedToken> addedTokens(JsonSection root, BpeModel model) {
        List<?> list = root.list("added_tokens");
        List<AddedToken> tokens = new ArrayList<>(list.size());
        Map<String, Integer> assigned = new HashMap<>();
        int nextId = model.size();
        for (int i = 0; i < list.size(); i++) {
            JsonSection t = JsonSection.of(where, "added_tokens[" + i + "]", list.get(i));
            int id = t.nonNegativeInt("id");
            if (id >= BpeModel.MAX_ID) {
                throw t.error("id", "expected an id below " + BpeModel.MAX_ID + ", got " + id);
            }
            String content = t.string("content");
            if (content.isEmpty()) {
                throw t.error("content", "expected a non-empty string, got \"\"");
            }
            int vocabId = model.id(content);
            Integer expected = vocabId >= 0 ? Integer.valueOf(vocabId) : assigned.get(content);
            if (expected == null) {
                expected = nextId++;
                assigned.put(content, expected);
            }
            if (id != expected) {
                throw t.error("id", "expected " + expected + " for \"" + content + "\" (" + (vocabId >= 0
                        ? "its id in model.vocab" : "the next id after model.vocab and the earlier added tokens")
                        + "), got " + id);
            }
            boolean special = t.bool("special", false);
            tokens.add(new AddedToken(id, content, special, t.bool("single_word", false), t.bool("lstrip", false),
                    t.bool("rstrip", false), t.bool("normalized", !special)));
        }
        return tokens;
    }
}
