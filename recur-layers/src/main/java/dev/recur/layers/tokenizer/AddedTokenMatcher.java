package dev.recur.layers.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cuts text at the occurrences of a set of added tokens, scanning left to right and taking, at the leftmost
 * position where any token starts, the longest token that starts there (the leftmost-longest rule of the
 * reference implementation). A character trie keeps each scan step at most as long as the longest token.
 */
final class AddedTokenMatcher {
    /** A piece of the text: either plain text ({@code token == null}) or one matched added token. */
    record Piece(String text, AddedToken token) {
    }

    private static final class Node {
        final Map<Character, Node> next = new HashMap<>();
        AddedToken token;
    }

    private final Node root = new Node();
    private final boolean empty;

    /** {@code contentOf} gives the string each token is matched by (its content, normalized or not). */
    AddedTokenMatcher(List<AddedToken> tokens, java.util.function.Function<AddedToken, String> contentOf) {
        for (AddedToken t : tokens) {
            String content = contentOf.apply(t);
            if (content.isEmpty()) {
                continue;
            }
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                node = node.next.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            // Of two tokens with the same content, the first one listed wins.
            if (node.token == null) {
                node.token = t;
            }
        }
        empty = root.next.isEmpty();
    }

    /** Feeds the pieces of {@code text} in order to {@code out}; plain pieces are never empty. */
    void split(String text, Consumer<Piece> out) {
        if (empty) {
            if (!text.isEmpty()) {
                out.accept(new Piece(text, null));
            }
            return;
        }
        int emitted = 0;
        int pos = 0;
        while (pos < text.length()) {
            int end = -1;
            AddedToken found = null;
            Node node = root;
            for (int i = pos; i < text.length(); i++) {
                node = node.next.get(text.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.token != null) {
                    found = node.token;
                    end = i + 1;
                }
            }
            if (found == null) {
                pos++;
                continue;
            }
            int start = pos;
            // A skipped single-word match is consumed all the same, as the reference's scanner does.
            pos = end;
            if (found.singleWord() && (touchesWordBefore(text, start) || touchesWordAfter(text, end))) {
                continue;
            }
            if (found.lstrip()) {
                while (start > emitted && isWhiteSpace(text.charAt(start - 1))) {
                    start--;
                }
            }
            if (found.rstrip()) {
                while (end < text.length() && isWhiteSpace(text.charAt(end))) {
                    end++;
                }
                pos = end;
            }
            if (start > emitted) {
                out.accept(new Piece(text.substring(emitted, start), null));
            }
            out.accept(new Piece(text.substring(start, end), found));
            emitted = end;
        }
        if (emitted < text.length()) {
            out.accept(new Piece(text.substring(emitted), null));
        }
    }

    private static boolean touchesWordBefore(String text, int start) {
        return start > 0 && isWordChar(text.codePointBefore(start));
    }

    private static boolean touchesWordAfter(String text, int end) {
        return end < text.length() && isWordChar(text.codePointAt(end));
    }

    private static boolean isWordChar(int c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Unicode's White_Space property (Java's {@code Character.isWhitespace} differs on a few characters). */
    static boolean isWhiteSpace(int c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
