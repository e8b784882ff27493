package dev.recur.core.io.json;

import dev.recur.core.RecurException;

/** Writes JSON string literals the way {@link JsonParser} reads them back: compact and deterministic. */
public final class JsonWriter {
    private JsonWriter() {}

    /**
     * Appends {@code s} as a JSON string literal: quotes, backslashes and control characters escaped, all
     * other characters (non-ASCII included) written as they are.
     *
     * @throws RecurException if {@code s} holds an unpaired surrogate, which has no UTF-8 encoding
     */
    public static StringBuilder appendString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(i + 1));
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw new RecurException("JSON string " + JsonParser.quoteForMessage(s)
                        + ": expected valid UTF-16, got an unpaired surrogate at index " + i);
            }
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }
}
