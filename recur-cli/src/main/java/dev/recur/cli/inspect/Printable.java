package dev.recur.cli.inspect;

/** Makes text from a file safe to print on a terminal: control characters become {@code \\uXXXX} escapes. */
final class Printable {
    private Printable() {}

    static String of(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // C0, DEL and C1 controls could move the cursor or recolour the terminal (ANSI escapes).
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
