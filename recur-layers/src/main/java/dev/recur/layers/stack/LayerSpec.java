package dev.recur.layers.stack;

import dev.recur.layers.block.BlockSpec;
import dev.recur.layers.block.MixerKind;
import dev.recur.core.RecurException;
import dev.recur.core.io.json.JsonException;
import dev.recur.core.io.json.JsonNumber;
import dev.recur.core.io.json.JsonParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A stack's blocks, bottom first, written compactly. The grammar (whitespace anywhere is ignored):
 * <pre>
 *   spec   := seq
 *   seq    := term (("," | "+") term)*
 *   term   := atom ("*" COUNT)?                  repeats the atom COUNT times (1 to 1024)
 *   atom   := "(" seq ")" | KIND options?
 *   options:= "(" NAME "=" INT ("," NAME "=" INT)* ")"
 * </pre>
 * So {@code gdn,gdn,gdn,attn}, {@code mamba2*3+attn}, {@code (gla*3+attn)*2} and
 * {@code attn(heads=4,window=64)} are specs. A stack holds at most {@value #MAX_BLOCKS} blocks. The same list
 * can come from JSON ({@link #fromJson}): an array whose items are spec strings or objects
 * {@code {"kind": "attn", "heads": 4, "repeat": 2}}.
 */
public final class LayerSpec {
    /** The most blocks one spec may expand to. */
    public static final int MAX_BLOCKS = 1024;

    private final String text;
    private int pos;

    private LayerSpec(String text) {
        this.text = text;
    }

    /** The blocks {@code spec} describes; a malformed spec gives an error naming the position and the token. */
    public static List<BlockSpec> parse(String spec) {
        if (spec == null) {
            throw new RecurException("layer spec: expected a spec such as 'gla*3+attn', got null");
        }
        LayerSpec p = new LayerSpec(spec);
        p.skipSpaces();
        if (p.pos == spec.length()) {
            throw new RecurException("layer spec: expected at least one block (known kinds: "
                    + String.join(", ", MixerKinds.ids()) + "), got an empty spec");
        }
        List<BlockSpec> blocks = p.sequence();
        p.skipSpaces();
        if (p.pos != spec.length()) {
            throw p.error("expected ',', '+' or '*'");
        }
        return Collections.unmodifiableList(blocks);
    }

    /** The canonical spec text of {@code blocks}: each block, comma separated ({@code gla,gla,attn(heads=4)}). */
    public static String format(List<BlockSpec> blocks) {
        return blocks.stream().map(BlockSpec::toString).collect(Collectors.joining(","));
    }

    /** The blocks of a JSON array (text) of spec strings and block objects. */
    public static List<BlockSpec> fromJson(String json) {
        Object value;
        try {
            value = JsonParser.parse(json);
        } catch (JsonException e) {
            throw new RecurException("layer spec JSON: " + e.getMessage(), e);
        }
        return fromJson(value);
    }

    /**
     * The blocks of an already parsed JSON array: each item a spec string ({@code "gla*3"}) or an object with
     * {@code kind}, the kind's integer options and an optional {@code repeat}.
     */
    public static List<BlockSpec> fromJson(Object array) {
        if (!(array instanceof List<?> items) || items.isEmpty()) {
            throw new RecurException("layer spec JSON: expected a non-empty array of spec strings or block objects,"
                    + " got " + describe(array));
        }
        List<BlockSpec> blocks = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof String s) {
                blocks.addAll(parse(s));
            } else if (item instanceof Map<?, ?> m) {
                blocks.addAll(fromObject(m, i));
            } else {
                throw new RecurException("layer spec JSON: item " + i + " expected a spec string or a block object,"
                        + " got " + describe(item));
            }
            if (blocks.size() > MAX_BLOCKS) {
                throw new RecurException("layer spec JSON: more than " + MAX_BLOCKS + " blocks");
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    private static List<BlockSpec> fromObject(Map<?, ?> m, int index) {
        String where = "layer spec JSON: item " + index;
        if (!(m.get("kind") instanceof String kindName)) {
            throw new RecurException(where + " expected a string field 'kind', got " + describe(m.get("kind")));
        }
        MixerKind kind = MixerKinds.of(kindName);
        Map<String, Integer> options = new LinkedHashMap<>();
        int repeat = 1;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = (String) e.getKey();
            if (key.equals("kind")) {
                continue;
            }
            long parsed = e.getValue() instanceof JsonNumber n ? n.nonNegativeLongOrMinusOne()
                    : e.getValue() instanceof Integer i ? i : -1;
            if (parsed < 0 || parsed > Integer.MAX_VALUE) {
                throw new RecurException(where + " field '" + key + "' expected an integer >= 0, got "
                        + describe(e.getValue()));
            }
            int v = (int) parsed;
            if (key.equals("repeat")) {
                repeat = v;
            } else {
                options.put(key, v);
            }
        }
        if (repeat < 1 || repeat > MAX_BLOCKS) {
            throw new RecurException(where + " field 'repeat' expected 1 to " + MAX_BLOCKS + ", got " + repeat);
        }
        return Collections.nCopies(repeat, new BlockSpec(kind, options));
    }

    private List<BlockSpec> sequence() {
        List<BlockSpec> blocks = new ArrayList<>(term());
        skipSpaces();
        while (pos < text.length() && (text.charAt(pos) == ',' || text.charAt(pos) == '+')) {
            pos++;
            blocks.addAll(term());
            checkSize(blocks.size());
            skipSpaces();
        }
        return blocks;
    }

    private List<BlockSpec> term() {
        List<BlockSpec> atom = atom();
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '*') {
            pos++;
            skipSpaces();
            int start = pos;
            int count = integer("a repeat count after '*'");
            if (count < 1 || count > MAX_BLOCKS) {
                pos = start;
                throw error("expected a repeat count from 1 to " + MAX_BLOCKS);
            }
            checkSize((long) atom.size() * count);
            List<BlockSpec> repeated = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                repeated.addAll(atom);
            }
            return repeated;
        }
        return atom;
    }

    private List<BlockSpec> atom() {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == '(') {
            pos++;
            List<BlockSpec> inner = sequence();
            expect(')', "')' closing the group");
            return inner;
        }
        int start = pos;
        String name = name("a block kind (" + String.join(", ", MixerKinds.ids()) + ") or '('");
        MixerKind kind;
        try {
            kind = MixerKinds.of(name);
        } catch (RecurException e) {
            pos = start;
            throw error("unknown block kind '" + name + "' (known: " + String.join(", ", MixerKinds.ids()) + ")");
        }
        skipSpaces();
        Map<String, Integer> options = new LinkedHashMap<>();
        if (pos < text.length() && text.charAt(pos) == '(') {
            pos++;
            boolean more = true;
            while (more) {
                skipSpaces();
                int keyAt = pos;
                String key = name("an option name");
                if (!kind.options().contains(key)) {
                    pos = keyAt;
                    throw error("'" + kind.id() + "' has no option '" + key + "' (" + (kind.options().isEmpty()
                            ? "it takes none" : "options: " + String.join(", ", kind.options())) + ")");
                }
                if (options.containsKey(key)) {
                    pos = keyAt;
                    throw error("option '" + key + "' given twice");
                }
                expect('=', "'=' after option '" + key + "'");
                skipSpaces();
                options.put(key, integer("an integer value for option '" + key + "'"));
                skipSpaces();
                more = pos < text.length() && text.charAt(pos) == ',';
                if (more) {
                    pos++;
                }
            }
            expect(')', "',' or ')' in the options of '" + kind.id() + "'");
        }
        return List.of(new BlockSpec(kind, options));
    }

    private String name(String what) {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start || !Character.isLetter(text.charAt(start))) {
            pos = start;
            throw error("expected " + what);
        }
        return text.substring(start, pos);
    }

    private int integer(String what) {
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == start || pos - start > 9) {
            pos = start;
            throw error("expected " + what);
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private void expect(char c, String what) {
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected " + what);
        }
        pos++;
    }

    private void checkSize(long blocks) {
        if (blocks > MAX_BLOCKS) {
            throw error("expands to more than " + MAX_BLOCKS + " blocks");
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** "layer spec 'gla**3': at position 5 (token '*'): expected a repeat count after '*'". */
    private RecurException error(String message) {
        String token;
        if (pos >= text.length()) {
            token = "the end";
        } else {
            int end = pos + 1;
            while (end < text.length() && Character.isLetterOrDigit(text.charAt(pos))
                    && Character.isLetterOrDigit(text.charAt(end))) {
                end++;
            }
            token = "'" + text.substring(pos, end) + "'";
        }
        return new RecurException("layer spec '" + text + "': at position " + (pos + 1) + " (" + token + "): "
                + message);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof Map) {
            return "an object";
        }
        return String.valueOf(v);
    }
}
