package dev.recur.core.io.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON parser (RFC 8259) for headers and manifests that must not pull a dependency into the core.
 *
 * <p>Values come back as {@code Map<String, Object>} (keys in document order, unmodifiable), {@code List<Object>}
 * (unmodifiable), {@link String}, {@link JsonNumber}, {@link Boolean}, or {@code null} for JSON null. It rejects
 * what lenient parsers let through: duplicate keys, lone surrogates in {@code \\u} escapes, raw control characters
 * in strings, leading zeros, comments, trailing commas, and anything but whitespace after the value. Nesting is
 * capped so that hostile input cannot exhaust the stack.
 */
public final class JsonParser {
    /** Nesting depth used by {@link #parse(String)}. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private final String text;
    private final int maxDepth;
    private int pos;

    private JsonParser(String text, int maxDepth) {
        this.text = text;
        this.maxDepth = maxDepth;
    }

    /** Parses one JSON value that spans the whole text (surrounding whitespace allowed). */
    public static Object parse(String text) {
        return parse(text, DEFAULT_MAX_DEPTH);
    }

    /** Parses one JSON value, allowing at most {@code maxDepth} nested objects and arrays. */
    public static Object parse(String text, int maxDepth) {
        JsonParser p = new JsonParser(text, maxDepth);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos != text.length()) {
            throw p.error("expected the end of the text after the value, got " + p.describeHere());
        }
        return value;
    }

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("expected a value, got the end of the text");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value, got " + describeHere());
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return Collections.unmodifiableMap(map);
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key, got " + describeHere());
            }
            int keyStart = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object v = value(depth);
            if (map.containsKey(key)) {
                throw new JsonException("duplicate key " + quoteForMessage(key) + " at offset " + keyStart, keyStart);
            }
            map.put(key, v);
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == '}') {
                pos++;
                return Collections.unmodifiableMap(map);
            } else {
                throw error("expected ',' or '}' in an object, got " + describeHere());
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return Collections.unmodifiableList(list);
        }
        while (true) {
            skipWhitespace();
            list.add(value(depth));
            skipWhitespace();
            char c = peek();
            if (c == ',') {
                pos++;
            } else if (c == ']') {
                pos++;
                return Collections.unmodifiableList(list);
            } else {
                throw error("expected ',' or ']' in an array, got " + describeHere());
            }
        }
    }

    private String string() {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("expected a closing '\"', got the end of the text");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("expected an escaped control character in a string, got raw U+"
                        + String.format("%04X", (int) c));
            }
            if (c == '\\') {
                escape(sb);
                continue;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || pos + 1 >= text.length()
                        || !Character.isLowSurrogate(text.charAt(pos + 1))) {
                    throw error("expected valid UTF-16 in a string, got an unpaired surrogate U+" + hex(c));
                }
                sb.append(c).append(text.charAt(pos + 1));
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
    }

    private void escape(StringBuilder sb) {
        pos++;
        if (pos >= text.length()) {
            throw error("expected an escape character after '\\', got the end of the text");
        }
        char e = text.charAt(pos);
        pos++;
        switch (e) {
            case '"': sb.append('"'); break;
            case '\\': sb.append('\\'); break;
            case '/': sb.append('/'); break;
            case 'b': sb.append('\b'); break;
            case 'f': sb.append('\f'); break;
            case 'n': sb.append('\n'); break;
            case 'r': sb.append('\r'); break;
            case 't': sb.append('\t'); break;
            case 'u': {
                char u = hex4();
                if (Character.isHighSurrogate(u)) {
                    if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                        pos += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw error("expected a low surrogate after \\u" + hex(u) + ", got \\u" + hex(low));
                        }
                        sb.append(u).append(low);
                    } else {
                        throw error("expected a low surrogate escape after \\u" + hex(u) + ", got "
                                + describeHere());
                    }
                } else if (Character.isLowSurrogate(u)) {
                    throw error("expected a high surrogate before \\u" + hex(u) + ", got a lone low surrogate");
                } else {
                    sb.append(u);
                }
                break;
            }
            default:
                pos--;
                throw error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u, got " + describeHere());
        }
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("expected 4 hex digits after \\u, got the end of the text");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            char h = text.charAt(pos);
            int d = h >= '0' && h <= '9' ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10
                    : h >= 'A' && h <= 'F' ? h - 'A' + 10
                    : -1;
            if (d < 0) {
                throw error("expected a hex digit in \\u escape, got " + describeHere());
            }
            v = v * 16 + d;
            pos++;
        }
        return (char) v;
    }

    private JsonNumber number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
            if (isDigit(peek())) {
                throw error("expected no leading zero in a number, got " + describeHere());
            }
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw error("expected a digit in a number, got " + describeHere());
        }
        if (peek() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw error("expected a digit after '.', got " + describeHere());
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw error("expected a digit in an exponent, got " + describeHere());
            }
            digits();
        }
        return new JsonNumber(text.substring(start, pos));
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void literal(String word) {
        if (!text.startsWith(word, pos)) {
            throw error("expected '" + word + "', got " + describeHere());
        }
        pos += word.length();
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "', got " + describeHere());
        }
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > maxDepth) {
            throw error("expected at most " + maxDepth + " nested objects/arrays, got more");
        }
    }

    /** The current char, or NUL at the end (NUL can never be valid where peek is used). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private String describeHere() {
        if (pos >= text.length()) {
            return "the end of the text";
        }
        char c = text.charAt(pos);
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return "U+" + hex(c);
    }

    private JsonException error(String message) {
        return new JsonException(message + " at offset " + pos, pos);
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    /** A key shortened and made printable for an error message. */
    static String quoteForMessage(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04X", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
