package dev.recur.tasks.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Brings a hard-wrapped plain-text book to the layout of Recur's default corpus: one paragraph per line, paragraphs
 * separated by a blank line. Line breaks become {@code \n}; the lines of a paragraph (a run of non-blank lines) are
 * stripped and joined by one space.
 */
final class Paragraphs {
    private static final Pattern BLANK_LINES = Pattern.compile("\n[ \t\f\u000b]*\n");

    private Paragraphs() {}

    /** The text after its first {@code skipLines} lines, one paragraph per line, ending with a line break. */
    static String unwrap(byte[] utf8, int skipLines) {
        String text = new String(utf8, StandardCharsets.UTF_8).replace("\r\n", "\n");
        int start = 0;
        for (int i = 0; i < skipLines && start >= 0; i++) {
            start = text.indexOf('\n', start);
            start = start < 0 ? -1 : start + 1;
        }
        text = start < 0 ? "" : text.substring(start);
        List<String> paragraphs = new ArrayList<>();
        for (String block : BLANK_LINES.split(text)) {
            StringBuilder p = new StringBuilder();
            for (String line : block.split("\n")) {
                String s = line.strip();
                if (!s.isEmpty()) {
                    if (p.length() > 0) {
                        p.append(' ');
                    }
                    p.append(s);
                }
            }
            if (p.length() > 0) {
                paragraphs.add(p.toString());
            }
        }
        return String.join("\n\n", paragraphs) + "\n";
    }
}
